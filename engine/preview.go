package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/titanscrape/titan"
)

// DefaultPreviewLimits bound a preview run: at most 5 pages, 50 records and 30
// seconds.
var DefaultPreviewLimits = titan.Limits{MaxPages: 5, MaxItems: 50, MaxDurationSeconds: 30}

// ErrQuotaExceeded is matched by a *QuotaError with errors.Is.
var ErrQuotaExceeded = errors.New("engine: preview quota exceeded")

// QuotaError reports that the day's preview quota is spent.
type QuotaError struct {
	Limit int
	// Reset is when the quota renews: the next midnight UTC.
	Reset time.Time
}

// Error implements the error interface.
func (e *QuotaError) Error() string {
	return fmt.Sprintf("engine: preview quota of %d a day exceeded; it renews at %s", e.Limit, e.Reset.Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrQuotaExceeded) true.
func (e *QuotaError) Is(target error) bool { return target == ErrQuotaExceeded }

// previewQuota counts the previews of the current UTC day.
type previewQuota struct {
	limit int // negative: unlimited
	day   time.Time
	used  int
}

// take spends one preview of the day of now, or returns a *QuotaError; the
// engine's mutex must be held.
func (q *previewQuota) take(now time.Time) error {
	day := now.UTC().Truncate(24 * time.Hour)
	if !day.Equal(q.day) {
		q.day, q.used = day, 0
	}
	if q.limit >= 0 && q.used >= q.limit {
		return &QuotaError{Limit: q.limit, Reset: day.Add(24 * time.Hour)}
	}
	q.used++
	return nil
}

// Preview runs task id once under the preview limits (Config.PreviewLimits) and
// waits for it. The execution's trigger is preview. Each preview spends one of the
// day's Config.PreviewQuota; a spent quota is a *QuotaError.
func (e *Engine) Preview(ctx context.Context, id string, opts ...RunOption) (*titan.Execution, error) {
	e.mu.Lock()
	err := e.quota.take(e.now())
	e.mu.Unlock()
	if err != nil {
		return nil, err
	}
	opts = append([]RunOption{WithLimits(e.previewLimits)}, opts...)
	return e.Run(ctx, id, append(opts, WithTrigger(titan.TriggerPreview), Wait())...)
}

// CreateTaskFromTemplate creates a task from the template ref (an ID or slug,
// optionally "@version") with params, then lets override adjust it (nil for none)
// before it is validated and stored.
func (e *Engine) CreateTaskFromTemplate(ctx context.Context, ref string, params map[string]any, override func(*titan.Task)) (*titan.Task, error) {
	tp, err := e.templates.Get(ref)
	if err != nil {
		return nil, err
	}
	t, err := tp.Instantiate(params)
	if err != nil {
		return nil, err
	}
	if override != nil {
		override(t)
	}
	return e.CreateTask(ctx, t)
}

// PreviewTemplate previews the task a template makes with params, without keeping
// the task: it is created, previewed, then deleted (its execution stays readable).
func (e *Engine) PreviewTemplate(ctx context.Context, ref string, params map[string]any) (*titan.Execution, error) {
	t, err := e.CreateTaskFromTemplate(ctx, ref, params, func(t *titan.Task) {
		if t.Labels == nil {
			t.Labels = map[string]string{}
		}
		t.Labels["titan.preview"] = "true"
	})
	if err != nil {
		return nil, err
	}
	x, err := e.Preview(ctx, t.ID)
	if derr := e.DeleteTask(context.WithoutCancel(ctx), t.ID); derr != nil && err == nil {
		err = derr
	}
	return x, err
}
