package sqlite_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/sqlite"
)

// crashEnv names the database a child process of TestSurvivesKill writes to
// before it kills itself.
const crashEnv = "TITAN_SQLITE_CRASH_DB"

// TestSurvivesKill runs a child process that checkpoints records and frontier
// items, prints the execution's ID and kills itself without closing the store,
// as SIGKILL would: everything it committed is there when the file is opened
// again, and the execution can be resumed.
func TestSurvivesKill(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(t, path)
		return
	}
	path := filepath.Join(t.TempDir(), "titan.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSurvivesKill$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Success() {
		t.Fatalf("child: %v, want it killed; output:\n%s", err, out)
	}
	var id string
	if _, err := fmt.Sscanf(string(out), "execution %s", &id); err != nil {
		t.Fatalf("child printed %q: %v", out, err)
	}

	ctx := t.Context()
	s := openAt(t, path)
	recs, err := s.Records(ctx, id, 0, 0)
	if err != nil || len(recs) != 300 || recs[299].Seq != 300 || recs[299].Data["n"] != 299.0 {
		t.Fatalf("after the kill: %d records, %v; want the 300 committed", len(recs), err)
	}
	e, err := s.GetExecution(ctx, id)
	if err != nil || e.Stats.ValidRecords != 300 || e.Lease == nil || e.Lease.Owner != "child" {
		t.Fatalf("after the kill: execution %+v, %v; want 300 records counted, leased to the child", e, err)
	}
	if n, err := s.ResetInFlight(ctx, id); n != 1 || err != nil {
		t.Errorf("ResetInFlight after the kill: %d, %v; want the 1 item the child held", n, err)
	}
	f := s.Frontier(id, titan.MainStep)
	if f.Seen() != 3 || f.Queued() != 2 {
		t.Errorf("frontier after the kill: seen %d, queued %d; want 3, 2", f.Seen(), f.Queued())
	}
}

// crashChild is the child of TestSurvivesKill.
func crashChild(t *testing.T, path string) {
	ctx := t.Context()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	task := &titan.Task{Name: "crash"}
	if err := s.CreateTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateExecution(ctx, &titan.Execution{TaskID: task.ID}); err != nil {
		t.Fatal(err)
	}
	e, err := s.ClaimExecution(ctx, "child", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Transition(titan.StatusRunning, "", time.Now()); err != nil {
		t.Fatal(err)
	}
	f := s.Frontier(e.ID, titan.MainStep)
	for _, k := range []string{"a", "b", "done"} {
		if _, err := f.Add(ctx, k, titan.Item{URL: "https://shop.example/" + k}, k == "done"); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, _, err := f.Next(ctx); err != nil { // a is in flight when the process dies
		t.Fatal(err)
	}
	for batch := range 3 {
		recs := make([]titan.Record, 100)
		for i := range recs {
			recs[i] = titan.Record{Step: titan.MainStep, Data: map[string]any{"n": batch*100 + i}}
		}
		e.Stats.ValidRecords += 100
		if err := s.Checkpoint(ctx, e, recs); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Printf("execution %s\n", e.ID)
	os.Stdout.Sync()
	p, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	_ = p.Kill() // no Close, no deferred function, no WAL checkpoint
	select {}    // the kill arrives
}
