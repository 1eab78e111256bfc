package engine

import (
	"context"
	"io"
	"iter"

	"github.com/titanscrape/titan"
)

// executions yields every execution matching f, newest first, a page at a time.
func (e *Engine) executions(ctx context.Context, f titan.ExecutionFilter) iter.Seq2[*titan.Execution, error] {
	return func(yield func(*titan.Execution, error) bool) {
		for {
			page, err := e.store.ListExecutions(ctx, f)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, x := range page.Items {
				if !yield(x, nil) {
					return
				}
			}
			if page.NextPageToken == "" {
				return
			}
			f.PageToken = page.NextPageToken
		}
	}
}

// tasks yields every task matching f, in creation order, a page at a time.
func (e *Engine) tasks(ctx context.Context, f titan.TaskFilter) iter.Seq2[*titan.Task, error] {
	return func(yield func(*titan.Task, error) bool) {
		for {
			page, err := e.store.ListTasks(ctx, f)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, t := range page.Items {
				if !yield(t, nil) {
					return
				}
			}
			if page.NextPageToken == "" {
				return
			}
			f.PageToken = page.NextPageToken
		}
	}
}

// resultsPage is how many records Records reads from the store at a time.
const resultsPage = 500

// Records streams the records of execution id in Seq order, reading the store a
// page at a time. It yields what is stored when called, so records of a running
// execution appear as they are checkpointed. Stop early by breaking the loop.
func (e *Engine) Records(ctx context.Context, id string) iter.Seq2[titan.Record, error] {
	return func(yield func(titan.Record, error) bool) {
		var after int64
		for {
			recs, err := e.store.Records(ctx, id, after, resultsPage)
			if err != nil {
				yield(titan.Record{}, err)
				return
			}
			for _, r := range recs {
				if !yield(r, nil) {
					return
				}
				after = r.Seq
			}
			if len(recs) < resultsPage {
				return
			}
		}
	}
}

// Export writes the records of execution id to w in format f. CSV columns follow
// the output schema of the task version that ran, in declared order (see
// titan.Export).
func (e *Engine) Export(ctx context.Context, id string, w io.Writer, f titan.Format) error {
	columns, err := e.columns(ctx, id)
	if err != nil {
		return err
	}
	return titan.Export(w, f, columns, e.Records(ctx, id))
}
