package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/titanscrape/titan"
)

// Frontier returns the durable frontier of one step of an execution, which must
// be stored. Its items survive the process: after a crash, ResetInFlight puts the
// items that were being processed back in the queue, and the crawl goes on where
// it stopped. Frontiers of the same execution and step share their state, even
// across Close and Open.
//
//   - Add is one INSERT ... ON CONFLICT DO NOTHING on the unique (execution,
//     step, key): the check and the mark are one atomic step, also between
//     processes.
//   - Next marks the queued item accepted first as in flight and returns it,
//     in one statement: items come out in the order Add accepted them.
//   - Done marks an item done, whatever its state; a key never added is
//     ErrNotFound.
//   - Seen and Queued count the step's rows, a query each; the interface gives
//     them neither a context nor an error, so they return -1 when the database
//     cannot answer (the store is closed, say). FrontierCounts reports the error.
//
// Add, Next and Done are one write transaction each. Add of an execution that
// is not stored fails with ErrNotFound.
func (s *Store) Frontier(executionID, step string) titan.Frontier {
	return &frontier{s: s, exec: executionID, step: step}
}

// The states of a frontier row.
const (
	stateQueued   = "queued"
	stateInFlight = "in_flight"
	stateDone     = "done"
)

type frontier struct {
	s          *Store
	exec, step string
}

func (f *frontier) what(op string) string {
	return fmt.Sprintf("frontier %s of execution %q step %q", op, f.exec, f.step)
}

// Add records key as seen and, unless done, queues it; false when key was seen
// before.
func (f *frontier) Add(ctx context.Context, key string, it titan.Item, done bool) (bool, error) {
	item, err := encode(it)
	if err != nil {
		return false, fmt.Errorf("sqlite: %s: item %q cannot be stored: %w", f.what("add"), key, err)
	}
	state := stateQueued
	if done {
		state = stateDone
	}
	var added bool
	err = f.s.call(ctx, f.what("add"), func() error {
		res, err := f.s.stmts.frontierAdd.ExecContext(ctx, f.exec, f.step, key, item, state)
		if isForeignKey(err) {
			return fmt.Errorf("execution %q: %w", f.exec, titan.ErrNotFound)
		}
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		added = n == 1
		return err
	})
	return added, err
}

// Next marks the oldest queued item in flight and returns it.
func (f *frontier) Next(ctx context.Context) (key string, it titan.Item, ok bool, err error) {
	err = f.s.call(ctx, f.what("next"), func() error {
		var item []byte
		err := f.s.stmts.frontierNext.QueryRowContext(ctx, f.exec, f.step).Scan(&key, &item)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := json.Unmarshal(item, &it); err != nil {
			return fmt.Errorf("decode stored item %q: %w", key, err)
		}
		ok = true
		return nil
	})
	if err != nil || !ok {
		return "", titan.Item{}, false, err
	}
	return key, it, true, nil
}

// Done marks the item with key done.
func (f *frontier) Done(ctx context.Context, key string) error {
	return f.s.call(ctx, f.what("done"), func() error {
		res, err := f.s.stmts.frontierDone.ExecContext(ctx, f.exec, f.step, key)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err == nil && n == 0 {
			err = fmt.Errorf("key %q: %w", key, titan.ErrNotFound)
		}
		return err
	})
}

// Seen is the number of keys ever added, -1 when the database cannot tell.
func (f *frontier) Seen() int {
	c, err := f.s.FrontierCounts(context.Background(), f.exec, f.step)
	if err != nil {
		return -1
	}
	return c.Seen()
}

// Queued is the number of items waiting, -1 when the database cannot tell.
func (f *frontier) Queued() int {
	c, err := f.s.FrontierCounts(context.Background(), f.exec, f.step)
	if err != nil {
		return -1
	}
	return c.Queued
}

// FrontierCounts counts the items of a step's frontier by state.
type FrontierCounts struct {
	Queued, InFlight, Done int
}

// Seen is the number of keys the frontier ever accepted.
func (c FrontierCounts) Seen() int { return c.Queued + c.InFlight + c.Done }

// FrontierCounts counts the items of the frontier of one step of an execution.
// It scans the step's rows: call it for progress reports, not per item.
func (s *Store) FrontierCounts(ctx context.Context, executionID, step string) (FrontierCounts, error) {
	var c FrontierCounts
	err := s.call(ctx, fmt.Sprintf("count frontier of execution %q step %q", executionID, step), func() error {
		rows, err := s.stmts.frontierCounts.QueryContext(ctx, executionID, step)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				state string
				n     int
			)
			if err := rows.Scan(&state, &n); err != nil {
				return err
			}
			switch state {
			case stateQueued:
				c.Queued = n
			case stateInFlight:
				c.InFlight = n
			case stateDone:
				c.Done = n
			}
		}
		return rows.Err()
	})
	if err != nil {
		return FrontierCounts{}, err
	}
	return c, nil
}

// ResetInFlight puts the in-flight items of every step of an execution back in
// the queue, ahead of the items queued after them, and returns how many it
// reset. Call it when resuming an execution whose worker died: the items it
// was processing may not have been processed.
func (s *Store) ResetInFlight(ctx context.Context, executionID string) (int, error) {
	var n int64
	err := s.write(ctx, fmt.Sprintf("reset frontier of execution %q", executionID), func(tx *sql.Tx) error {
		if err := executionExists(ctx, tx, executionID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE frontier SET state = 'queued'
			WHERE execution_id = ? AND state = 'in_flight'`, executionID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
