package titan_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/titanscrape/titan"
)

func TestExecutionTransitions(t *testing.T) {
	all := []titan.ExecutionStatus{
		titan.StatusQueued, titan.StatusRunning, titan.StatusPaused, titan.StatusCompleted,
		titan.StatusCompletedWithErrors, titan.StatusFailed, titan.StatusCancelled,
	}
	allowed := map[[2]titan.ExecutionStatus]bool{
		{titan.StatusQueued, titan.StatusRunning}:              true,
		{titan.StatusQueued, titan.StatusCancelled}:            true,
		{titan.StatusQueued, titan.StatusFailed}:               true,
		{titan.StatusRunning, titan.StatusPaused}:              true,
		{titan.StatusRunning, titan.StatusCompleted}:           true,
		{titan.StatusRunning, titan.StatusCompletedWithErrors}: true,
		{titan.StatusRunning, titan.StatusFailed}:              true,
		{titan.StatusRunning, titan.StatusCancelled}:           true,
		{titan.StatusPaused, titan.StatusRunning}:              true,
		{titan.StatusPaused, titan.StatusCancelled}:            true,
		{titan.StatusPaused, titan.StatusFailed}:               true,
	}
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	for _, from := range all {
		for _, to := range all {
			x := &titan.Execution{ID: "e1", Status: from}
			err := x.Transition(to, "because", at)
			if allowed[[2]titan.ExecutionStatus{from, to}] {
				if err != nil || x.Status != to || x.Reason != "because" {
					t.Errorf("%s → %s: err %v, status %s", from, to, err, x.Status)
				}
				continue
			}
			if !errors.Is(err, titan.ErrInvalidTransition) || x.Status != from {
				t.Errorf("%s → %s: want ErrInvalidTransition, got %v (status %s)", from, to, err, x.Status)
			}
		}
	}
}

func TestTransitionStampsTimesAndNeedsReason(t *testing.T) {
	start := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	x := &titan.Execution{ID: "e1", Status: titan.StatusQueued, Lease: &titan.Lease{Owner: "w1"}}
	if err := x.Transition(titan.StatusRunning, "", start); err != nil {
		t.Fatal(err)
	}
	if err := x.Transition(titan.StatusCompleted, "", start.Add(time.Second)); err == nil {
		t.Fatal("terminal status without a reason accepted")
	}
	if err := x.Transition(titan.StatusCompleted, "3 pages", start.Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	if !x.StartedAt.Equal(start) || x.Duration(time.Time{}) != 2*time.Second || x.Lease != nil {
		t.Fatalf("started %v, duration %v, lease %v", x.StartedAt, x.Duration(time.Time{}), x.Lease)
	}
}

func TestAddErrorKeepsFirstAndCountsAll(t *testing.T) {
	x := &titan.Execution{}
	for i := range titan.MaxKeptErrors + 5 {
		x.AddError(titan.ExecError{Class: titan.ClassHTTP, URL: fmt.Sprint(i)})
	}
	x.AddError(titan.ExecError{Class: titan.ClassRobots})
	if len(x.Errors) != titan.MaxKeptErrors || x.ErrorsOmitted != 6 || x.Stats.Errors != titan.MaxKeptErrors+6 {
		t.Fatalf("kept %d, omitted %d, counted %d", len(x.Errors), x.ErrorsOmitted, x.Stats.Errors)
	}
	if x.Stats.ErrorsByClass[titan.ClassHTTP] != titan.MaxKeptErrors+5 || x.Stats.ErrorsByClass[titan.ClassRobots] != 1 {
		t.Fatalf("by class %v", x.Stats.ErrorsByClass)
	}
}

func TestClassOf(t *testing.T) {
	tests := []struct {
		err  error
		want titan.ErrorClass
	}{
		{fmt.Errorf("x: %w", &titan.HTTPError{URL: "u", StatusCode: 503}), titan.ClassHTTP},
		{&titan.BodyTooLargeError{URL: "u", Limit: 1}, titan.ClassBodyTooLarge},
		{fmt.Errorf("x: %w", titan.ErrRobotsDisallowed), titan.ClassRobots},
		{&net.OpError{Op: "dial", Err: errors.New("refused")}, titan.ClassNetwork},
		{io.ErrUnexpectedEOF, titan.ClassNetwork},
		{&titan.PanicError{Value: "boom"}, titan.ClassPanic},
		{&titan.InputError{Input: "x", Problem: "bad"}, titan.ClassInput},
		{fmt.Errorf("p: %w", titan.ErrNoMatch), titan.ClassParse},
		{errors.New("other"), titan.ClassAction},
	}
	for _, tt := range tests {
		if got := titan.ClassOf(tt.err); got != tt.want {
			t.Errorf("ClassOf(%v) = %s, want %s", tt.err, got, tt.want)
		}
	}
}
