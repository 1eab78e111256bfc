package memory

import (
	"context"
	"fmt"
	"slices"

	"github.com/titanscrape/titan"
)

var _ titan.Inventory = (*Store)(nil)

// AddToInventory adds urls to the URL inventory of task taskID and returns how many
// were new. The task must exist.
func (s *Store) AddToInventory(ctx context.Context, taskID string, urls []string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return 0, err
	}
	if _, ok := s.tasks[taskID]; !ok {
		return 0, fmt.Errorf("memory: task %q: %w", taskID, titan.ErrNotFound)
	}
	if s.inv == nil {
		s.inv = make(map[string]*inventory)
	}
	inv := s.inv[taskID]
	if inv == nil {
		inv = &inventory{seen: make(map[string]bool)}
		s.inv[taskID] = inv
	}
	added := 0
	for _, u := range urls {
		if !inv.seen[u] {
			inv.seen[u] = true
			inv.urls = append(inv.urls, u)
			added++
		}
	}
	return added, nil
}

// Inventory returns the URL inventory of task taskID in the order URLs were first
// added; empty for a task that has none. The task must exist.
func (s *Store) Inventory(ctx context.Context, taskID string) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, err
	}
	if _, ok := s.tasks[taskID]; !ok {
		return nil, fmt.Errorf("memory: task %q: %w", taskID, titan.ErrNotFound)
	}
	if inv := s.inv[taskID]; inv != nil {
		return slices.Clone(inv.urls), nil
	}
	return []string{}, nil
}

// TaskVersion returns version v of task id, as it was stored then.
func (s *Store) TaskVersion(ctx context.Context, id string, v int) (*titan.Task, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, err
	}
	e, ok := s.tasks[id]
	if !ok {
		return nil, fmt.Errorf("memory: task %q: %w", id, titan.ErrNotFound)
	}
	if v < 1 || v > len(e.versions) {
		return nil, fmt.Errorf("memory: task %q has no version %d: %w", id, v, titan.ErrNotFound)
	}
	return copyTask(e.versions[v-1])
}

var _ titan.DeliveryLog = (*Store)(nil)

// AddDelivery records a webhook delivery attempt of an existing execution.
func (s *Store) AddDelivery(ctx context.Context, d titan.Delivery) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return err
	}
	if _, ok := s.execs[d.ExecutionID]; !ok {
		return fmt.Errorf("memory: execution %q: %w", d.ExecutionID, titan.ErrNotFound)
	}
	if s.deliveries == nil {
		s.deliveries = make(map[string][]titan.Delivery)
	}
	s.deliveries[d.ExecutionID] = append(s.deliveries[d.ExecutionID], d)
	return nil
}

// Deliveries returns the webhook delivery attempts of an execution, in order.
func (s *Store) Deliveries(ctx context.Context, executionID string) ([]titan.Delivery, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, err
	}
	if _, ok := s.execs[executionID]; !ok {
		return nil, fmt.Errorf("memory: execution %q: %w", executionID, titan.ErrNotFound)
	}
	return slices.Clone(s.deliveries[executionID]), nil
}
