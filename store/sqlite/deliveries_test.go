package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/sqlite"
)

func TestDeliveriesSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "d.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	task := &titan.Task{Name: "d", URLs: []string{"https://d.test/"}}
	if err := st.CreateTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	x := &titan.Execution{TaskID: task.ID, Status: titan.StatusQueued, Trigger: titan.TriggerManual}
	if err := st.CreateExecution(ctx, x); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	for i, code := range []int{503, 200} {
		if err := st.AddDelivery(ctx, titan.Delivery{ID: "dlv_1", URL: "https://hook.test/", Event: "finished", ExecutionID: x.ID, Attempt: i + 1, StatusCode: code, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.AddDelivery(ctx, titan.Delivery{ExecutionID: "exe_missing"}); !errors.Is(err, titan.ErrNotFound) {
		t.Fatalf("delivery of a missing execution: %v", err)
	}
	st.Close()
	st, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Deliveries(ctx, x.ID)
	if err != nil || len(got) != 2 || got[0].StatusCode != 503 || got[1].Attempt != 2 || !got[1].OK() || !got[0].At.Equal(at) {
		t.Fatalf("deliveries = %+v, %v", got, err)
	}
}
