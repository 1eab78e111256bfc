package engine

import (
	"context"
	"fmt"
	"io"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/schema"
)

// Changes compares the records of execution id with those of the previous
// successful execution (completed or completed_with_errors) of the same task, by
// record key (see titan.RecordKey: the schema's x-key fields, else the source
// URL). Every record is new when there is no previous execution; ok reports
// whether there was one.
func (e *Engine) Changes(ctx context.Context, id string) (changes []titan.Change, ok bool, err error) {
	x, err := e.store.GetExecution(ctx, id)
	if err != nil {
		return nil, false, err
	}
	prev, err := e.previousSuccess(ctx, x)
	if err != nil {
		return nil, false, err
	}
	t, err := e.taskVersion(ctx, x.TaskID, x.TaskVersion)
	if err != nil {
		return nil, false, err
	}
	key, err := titan.RecordKey(t.Steps()[len(t.Steps())-1].OutputSchema)
	if err != nil {
		return nil, false, err
	}
	before := func(yield func(titan.Record, error) bool) {}
	if prev != nil {
		before = e.Records(ctx, prev.ID)
	}
	changes, err = titan.Diff(before, e.Records(ctx, id), key)
	return changes, prev != nil, err
}

// previousSuccess returns the newest successful execution of x's task created
// before x, or nil.
func (e *Engine) previousSuccess(ctx context.Context, x *titan.Execution) (*titan.Execution, error) {
	seen := false
	for p, err := range e.executions(ctx, titan.ExecutionFilter{TaskID: x.TaskID}) {
		if err != nil {
			return nil, fmt.Errorf("engine: previous execution of %s: %w", x.ID, err)
		}
		if p.ID == x.ID {
			seen = true
			continue
		}
		if seen && (p.Status == titan.StatusCompleted || p.Status == titan.StatusCompletedWithErrors) {
			return p, nil
		}
	}
	return nil, nil
}

// ExportChanges writes the change set of execution id (see Changes) in format f;
// CSV columns follow the output schema.
func (e *Engine) ExportChanges(ctx context.Context, id string, w io.Writer, f titan.Format) error {
	changes, _, err := e.Changes(ctx, id)
	if err != nil {
		return err
	}
	columns, err := e.columns(ctx, id)
	if err != nil {
		return err
	}
	return titan.ExportChanges(w, f, columns, changes)
}

// columns returns the CSV columns of execution id's output: the top-level
// properties of its last step's schema, in declared order.
func (e *Engine) columns(ctx context.Context, id string) ([]string, error) {
	x, err := e.store.GetExecution(ctx, id)
	if err != nil {
		return nil, err
	}
	t, err := e.taskVersion(ctx, x.TaskID, x.TaskVersion)
	if err != nil {
		return nil, err
	}
	steps := t.Steps()
	if raw := steps[len(steps)-1].OutputSchema; len(raw) > 0 {
		if sc, err := schema.Compile(raw); err == nil {
			return sc.Columns(), nil
		}
	}
	return nil, nil
}
