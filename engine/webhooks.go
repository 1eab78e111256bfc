package engine

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/titanscrape/titan"
)

// maxChangesInWebhook caps the changes listed in one changes delivery; the body
// says how many were left out.
const maxChangesInWebhook = 1000

// Delivery is one attempt to deliver a webhook; see titan.Delivery.
type Delivery = titan.Delivery

// webhookBody is the JSON body of a delivery.
type webhookBody struct {
	ID        string           `json:"id"`
	Event     string           `json:"event"`
	At        time.Time        `json:"at"`
	Task      webhookTask      `json:"task"`
	Execution *titan.Execution `json:"execution"`
	Changes   *webhookChanges  `json:"changes,omitempty"`
}

type webhookTask struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Version int    `json:"version"`
}

type webhookChanges struct {
	Counts  map[titan.ChangeKind]int `json:"counts"`
	Items   []titan.Change           `json:"items"`
	Omitted int                      `json:"omitted,omitempty"`
}

// Deliveries returns the webhook delivery attempts of execution id, in order:
// from the store when it keeps them (titan.DeliveryLog), else those this engine
// made.
func (e *Engine) Deliveries(ctx context.Context, id string) ([]Delivery, error) {
	if log, ok := e.store.(titan.DeliveryLog); ok {
		return log.Deliveries(ctx, id)
	}
	e.hookMu.Lock()
	defer e.hookMu.Unlock()
	return append([]Delivery(nil), e.deliveries[id]...), nil
}

func (e *Engine) recordDelivery(ctx context.Context, d Delivery) {
	if log, ok := e.store.(titan.DeliveryLog); ok {
		if err := log.AddDelivery(context.WithoutCancel(ctx), d); err != nil {
			e.log.Error("webhook: delivery attempt not recorded", "execution", d.ExecutionID, "err", err)
		}
		return
	}
	e.hookMu.Lock()
	defer e.hookMu.Unlock()
	e.deliveries[d.ExecutionID] = append(e.deliveries[d.ExecutionID], d)
}

// notify delivers the webhooks of task t for its ended execution x, on its own
// goroutine. Close waits for the deliveries, and cancels them if its context ends
// first.
func (e *Engine) notify(t *titan.Task, x *titan.Execution) {
	if len(t.Webhooks) == 0 {
		return
	}
	// The caller's execution is still counted in e.wg, so Close waits for this too.
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		ctx := e.base
		var changes *webhookChanges
		for _, w := range t.Webhooks {
			if w.Wants(titan.WebhookFinished) {
				e.deliver(ctx, w, webhookBody{Event: titan.WebhookFinished, Execution: x})
			}
			if !w.Wants(titan.WebhookChanges) {
				continue
			}
			if changes == nil {
				list, had, err := e.Changes(ctx, x.ID)
				if err != nil {
					e.log.Error("webhook: change set", "execution", x.ID, "err", err)
					continue
				}
				changes = &webhookChanges{Counts: map[titan.ChangeKind]int{}}
				for _, c := range list {
					changes.Counts[c.Kind]++
				}
				if !had || changes.Counts[titan.ChangeNew]+changes.Counts[titan.ChangeChanged]+changes.Counts[titan.ChangeRemoved] == 0 {
					continue // nothing changed, or nothing to compare with
				}
				for _, c := range list {
					if c.Kind == titan.ChangeSame {
						continue
					}
					if len(changes.Items) == maxChangesInWebhook {
						changes.Omitted++
						continue
					}
					changes.Items = append(changes.Items, c)
				}
			}
			if len(changes.Items) > 0 || changes.Omitted > 0 {
				e.deliver(ctx, w, webhookBody{Event: titan.WebhookChanges, Execution: x, Changes: changes})
			}
		}
	}()
}

// deliver posts one event to one webhook, retrying with backoff on network
// errors, 429 and 5xx, up to Config.WebhookAttempts attempts.
func (e *Engine) deliver(ctx context.Context, w titan.Webhook, body webhookBody) {
	var id [8]byte
	rand.Read(id[:])
	body.ID = "dlv_" + hex.EncodeToString(id[:])
	body.At = e.now()
	body.Task = webhookTask{ID: body.Execution.TaskID, Version: body.Execution.TaskVersion}
	if t, err := e.store.GetTask(ctx, body.Execution.TaskID); err == nil {
		body.Task.Name = t.Name
	}
	payload, err := json.Marshal(body)
	if err != nil {
		e.log.Error("webhook: encode", "execution", body.Execution.ID, "err", err)
		return
	}
	backoff := e.hookBackoff
	for attempt := 1; attempt <= e.hookAttempts; attempt++ {
		d := Delivery{ID: body.ID, URL: w.URL, Event: body.Event, ExecutionID: body.Execution.ID, Attempt: attempt, At: e.now()}
		retry := e.post(ctx, w, payload, &d)
		e.recordDelivery(ctx, d)
		if d.OK() {
			e.log.Info("webhook delivered", "url", w.URL, "event", body.Event, "execution", d.ExecutionID, "attempt", attempt)
			return
		}
		e.log.Warn("webhook not delivered", "url", w.URL, "event", body.Event, "execution", d.ExecutionID,
			"attempt", attempt, "status", d.StatusCode, "err", d.Error)
		if !retry || attempt == e.hookAttempts {
			return
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		backoff *= 2
	}
}

// post sends one attempt and reports whether a failure may be retried.
func (e *Engine) post(ctx context.Context, w titan.Webhook, payload []byte, d *Delivery) (retry bool) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(payload))
	if err != nil {
		d.Error = err.Error()
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "titan-webhooks/0.1")
	req.Header.Set("Titan-Event", d.Event)
	req.Header.Set("Titan-Delivery", d.ID)
	req.Header.Set(titan.SignatureHeader, titan.SignWebhook(w.Secret, e.now(), payload))
	resp, err := e.hookClient.Do(req)
	if err != nil {
		d.Error = err.Error()
		return ctx.Err() == nil || e.base.Err() == nil
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	d.StatusCode = resp.StatusCode
	if resp.StatusCode/100 != 2 {
		d.Error = fmt.Sprintf("HTTP %d", resp.StatusCode)
	}
	return resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
}
