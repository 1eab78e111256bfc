package titan

import (
	"context"
	"sync"
)

// A Gate pauses and resumes the work of an execution. While it is paused, the
// runner takes no new item; items in progress finish, and everything queued stays
// queued. The zero Gate is open. A Gate is safe for concurrent use.
type Gate struct {
	mu     sync.Mutex
	paused bool
	open   chan struct{} // closed when the gate opens; nil while open
}

// Pause closes the gate. It reports whether the gate was open.
func (g *Gate) Pause() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.paused {
		return false
	}
	g.paused = true
	g.open = make(chan struct{})
	return true
}

// Resume opens the gate. It reports whether the gate was paused.
func (g *Gate) Resume() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.paused {
		return false
	}
	g.paused = false
	close(g.open)
	g.open = nil
	return true
}

// Paused reports whether the gate is paused.
func (g *Gate) Paused() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.paused
}

// Wait blocks while the gate is paused, until it opens or ctx is done.
func (g *Gate) Wait(ctx context.Context) error {
	if g == nil {
		return ctx.Err()
	}
	g.mu.Lock()
	open := g.open
	g.mu.Unlock()
	if open == nil {
		return ctx.Err()
	}
	select {
	case <-open:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
