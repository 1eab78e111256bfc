package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/runner"
)

// TestSecretsAreNeverKept runs an authenticated api_call plan with a secret, one
// call of which the server refuses echoing the token, and checks that the secret
// appears in no stored task or execution, no log line and no export.
func TestSecretsAreNeverKept(t *testing.T) {
	const secret = "sk-live-7f3a9c1e"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+secret {
			t.Errorf("request without the token: %v", r.Header)
		}
		if r.URL.Query().Get("id") == "2" {
			http.Error(w, "bad token "+r.Header.Get("Authorization"), http.StatusForbidden)
			return
		}
		fmt.Fprintf(w, `{"items":[{"id":%q,"note":"ok"}]}`, r.URL.Query().Get("id"))
	}))
	defer srv.Close()

	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r, err := runner.New(runner.Config{RatePerHost: -1, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(engine.Config{Runner: r, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(context.Background())
	ctx := context.Background()
	task, err := eng.CreateTask(ctx, &titan.Task{
		Name: "secret", URLs: []string{srv.URL + "/v1/item?id=1", srv.URL + "/v1/item?id=2"},
		ActionType: titan.ActionAPICall,
		Params: map[string]any{
			"auth":         map[string]any{"type": "bearer", "secret": "API_TOKEN"},
			"records_path": "items",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	x, err := eng.Run(ctx, task.ID, engine.Wait(), engine.WithSecrets(titan.Secrets{"API_TOKEN": secret}))
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != titan.StatusCompletedWithErrors || x.Stats.ValidRecords != 1 || len(x.Errors) != 1 {
		t.Fatalf("execution: %s %s %+v", x.Status, x.Reason, x.Errors)
	}
	storedTask, _ := eng.GetTask(ctx, task.ID)
	storedExec, _ := eng.GetExecution(ctx, x.ID)
	var export bytes.Buffer
	if err := eng.Export(ctx, x.ID, &export, titan.FormatJSONL); err != nil {
		t.Fatal(err)
	}
	taskJSON, _ := json.Marshal(storedTask)
	execJSON, _ := json.Marshal(storedExec)
	secretsJSON, _ := json.Marshal(titan.Secrets{"API_TOKEN": secret})
	for name, text := range map[string]string{
		"task": string(taskJSON), "execution": string(execJSON), "export": export.String(),
		"logs": logs.String(), "secrets JSON": string(secretsJSON), "error": x.Errors[0].Message,
	} {
		if strings.Contains(text, secret) {
			t.Errorf("the secret leaked into the %s: %s", name, text)
		}
	}
	if !strings.Contains(logs.String(), "item failed") {
		t.Fatalf("no failure logged:\n%s", logs.String())
	}
}
