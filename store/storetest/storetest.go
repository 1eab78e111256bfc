package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/titanscrape/titan"
)

// Run runs the conformance suite as subtests of t. newStore is called once per
// subtest and must return an empty store, which the subtest closes when it ends
// (a store whose cleanup also closes it must accept a second Close).
func Run(t *testing.T, newStore func(t *testing.T) titan.Store) {
	t.Helper()
	type test struct {
		name string
		run  func(t *testing.T, s titan.Store)
	}
	var tests []test
	for _, group := range [][]test{
		{
			{"CreateTask/RoundTrip", testCreateTaskRoundTrip},
			{"CreateTask/Defaults", testCreateTaskDefaults},
			{"CreateTask/GivenID", testCreateTaskGivenID},
			{"CreateTask/UniqueIDs", testCreateTaskUniqueIDs},
			{"Task/CopyIsolation", testTaskCopyIsolation},
			{"Task/NotFound", testTaskNotFound},
			{"ListTasks/Filters", testListTasksFilters},
			{"ListTasks/Pagination", testListTasksPagination},
			{"ListTasks/DefaultPageSize", testListTasksDefaultPageSize},
			{"ListTasks/InvalidPageToken", testListTasksInvalidPageToken},
			{"UpdateTask/BumpsVersion", testUpdateTaskBumpsVersion},
			{"UpdateTask/StaleVersion", testUpdateTaskStaleVersion},
			{"UpdateTask/OneWinnerPerVersion", testUpdateTaskOneWinnerPerVersion},
			{"UpdateTask/NoLostUpdates", testUpdateTaskNoLostUpdates},
		},
		{
			{"CreateExecution/RoundTrip", testCreateExecutionRoundTrip},
			{"CreateExecution/Defaults", testCreateExecutionDefaults},
			{"Execution/CopyIsolation", testExecutionCopyIsolation},
			{"Execution/NotFound", testExecutionNotFound},
			{"ListExecutions/NewestFirst", testListExecutionsNewestFirst},
			{"ListExecutions/Filters", testListExecutionsFilters},
			{"ListExecutions/Pagination", testListExecutionsPagination},
			{"ListExecutions/InvalidPageToken", testListExecutionsInvalidPageToken},
			{"Checkpoint/SeqAcrossCheckpoints", testCheckpointSeq},
			{"Checkpoint/SavesExecution", testCheckpointSavesExecution},
			{"Checkpoint/RecordRoundTrip", testCheckpointRecordRoundTrip},
			{"Checkpoint/RecordCopyIsolation", testCheckpointRecordCopyIsolation},
			{"Checkpoint/TerminalConflict", testCheckpointTerminalConflict},
			{"Checkpoint/OtherLeaseOwnerConflict", testCheckpointOtherLeaseOwner},
			{"Checkpoint/KeepsRenewedLease", testCheckpointKeepsRenewedLease},
			{"Records/PagesByAfter", testRecordsPagesByAfter},
		},
		{
			{"ClaimExecution/OldestFirst", testClaimOldestFirst},
			{"ClaimExecution/Claimable", testClaimClaimable},
			{"ClaimExecution/NoDoubleClaim", testClaimNoDoubleClaim},
			{"ClaimExecution/ExpiredLease", testClaimExpiredLease},
			{"RenewLease", testRenewLease},
		},
		{
			{"CancelledContext", testCancelledContext},
		},
	} {
		tests = append(tests, group...)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.run(t, s)
		})
	}
	t.Run("Close", func(t *testing.T) { testClose(t, newStore(t)) })
}

// wantErrIs fails t unless err wraps target and, when id is not empty, names id.
func wantErrIs(t *testing.T, what string, err, target error, id string) {
	t.Helper()
	switch {
	case !errors.Is(err, target):
		t.Errorf("%s: got error %v, want one wrapping %v", what, err, target)
	case id != "" && !strings.Contains(err.Error(), id):
		t.Errorf("%s: error %q does not name %q", what, err, id)
	}
}

func errIsConflict(err error) bool { return errors.Is(err, titan.ErrConflict) }

// normTask returns a copy of task in a normal form: its JSON round trip, with raw
// JSON in canonical form and times in UTC truncated to the microsecond.
func normTask(t *testing.T, task *titan.Task) *titan.Task {
	t.Helper()
	if task == nil {
		return nil
	}
	c := roundTrip(t, task)
	c.OutputSchema = canonJSON(c.OutputSchema)
	if c.ExecutionPlan != nil {
		for i := range c.ExecutionPlan.Steps {
			c.ExecutionPlan.Steps[i].OutputSchema = canonJSON(c.ExecutionPlan.Steps[i].OutputSchema)
		}
	}
	c.CreatedAt, c.UpdatedAt = normTime(c.CreatedAt), normTime(c.UpdatedAt)
	return c
}

// normExec is normTask for executions.
func normExec(t *testing.T, e *titan.Execution) *titan.Execution {
	t.Helper()
	if e == nil {
		return nil
	}
	c := roundTrip(t, e)
	c.CreatedAt, c.StartedAt, c.FinishedAt = normTime(c.CreatedAt), normTime(c.StartedAt), normTime(c.FinishedAt)
	if c.Lease != nil {
		c.Lease.Until = normTime(c.Lease.Until)
	}
	for i := range c.Errors {
		c.Errors[i].At = normTime(c.Errors[i].At)
	}
	return c
}

// normRecords is normTask for records.
func normRecords(t *testing.T, recs []titan.Record) []titan.Record {
	t.Helper()
	out := make([]titan.Record, len(recs))
	for i := range recs {
		out[i] = *roundTrip(t, &recs[i])
	}
	return out
}

func roundTrip[T any](t *testing.T, v *T) *T {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("normalise %T: %v", v, err)
	}
	var c T
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("normalise %T: %v", v, err)
	}
	return &c
}

func canonJSON(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return b
}

func normTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// sameTime reports whether a and b are the same instant to the microsecond.
func sameTime(a, b time.Time) bool { return normTime(a).Equal(normTime(b)) }

// wantEqual fails t unless got and want are deeply equal, showing both as JSON.
func wantEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	g, _ := json.MarshalIndent(got, "", "  ")
	w, _ := json.MarshalIndent(want, "", "  ")
	if bytes.Equal(g, w) {
		t.Errorf("%s: values differ in ways JSON does not show:\ngot:  %#v\nwant: %#v", what, got, want)
		return
	}
	t.Errorf("%s:\ngot:  %s\nwant: %s", what, g, w)
}
