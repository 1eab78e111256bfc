package titan

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Webhook events.
const (
	// WebhookFinished is sent when an execution ends, whatever its status:
	// completed, completed_with_errors, failed or cancelled.
	WebhookFinished = "finished"
	// WebhookChanges is sent after an execution that has a previous successful
	// one, with its change set (see Diff), when some record is new, changed or
	// removed.
	WebhookChanges = "changes"
)

// Webhook is a URL notified of a task's execution events. titan extension: the
// platform's task has no webhooks field.
type Webhook struct {
	URL string `json:"url"`
	// Events lists WebhookFinished and/or WebhookChanges; default: finished.
	Events []string `json:"events,omitempty"`
	// Secret signs every delivery: the SignatureHeader holds an HMAC-SHA256 of
	// the timestamp and the body (see SignWebhook). Required. It is stored with
	// the task, and logs as [redacted].
	Secret string `json:"secret"`
}

// LogValue implements slog.LogValuer, leaving the secret out.
func (w Webhook) LogValue() slog.Value {
	return slog.GroupValue(slog.String("url", w.URL), slog.Any("events", w.Events), slog.String("secret", "[redacted]"))
}

// Wants reports whether the webhook wants event.
func (w Webhook) Wants(event string) bool {
	if len(w.Events) == 0 {
		return event == WebhookFinished
	}
	return slices.Contains(w.Events, event)
}

// SignatureHeader is the header of a webhook delivery that carries its signature:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the secret>".
const SignatureHeader = "Titan-Signature"

// SignWebhook returns the SignatureHeader value of body sent at t.
func SignWebhook(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(webhookMAC(secret, ts, body))
}

func webhookMAC(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return m.Sum(nil)
}

// ErrBadSignature reports a webhook delivery whose signature does not verify.
var ErrBadSignature = errors.New("titan: webhook signature does not verify")

// VerifyWebhook checks a delivery's SignatureHeader value against its body, for
// receivers: the MAC must match and the timestamp be within tolerance of now, so a
// replayed delivery is refused.
func VerifyWebhook(secret, header string, body []byte, tolerance time.Duration, now time.Time) error {
	var ts, sig string
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sig == "" {
		return fmt.Errorf("%w: malformed header %q", ErrBadSignature, header)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: timestamp %s is outside the %s tolerance", ErrBadSignature, time.Unix(sec, 0).UTC().Format(time.RFC3339), tolerance)
	}
	got, err := hex.DecodeString(sig)
	if err != nil || !hmac.Equal(got, webhookMAC(secret, ts, body)) {
		return ErrBadSignature
	}
	return nil
}

// Delivery is one attempt to deliver a webhook.
type Delivery struct {
	// ID is the same for every attempt of one delivery.
	ID          string    `json:"id"`
	URL         string    `json:"url"`
	Event       string    `json:"event"`
	ExecutionID string    `json:"execution_id"`
	Attempt     int       `json:"attempt"`
	StatusCode  int       `json:"status_code,omitempty"`
	Error       string    `json:"error,omitempty"`
	At          time.Time `json:"at"`
}

// OK reports whether the attempt was delivered (a 2xx answer).
func (d Delivery) OK() bool { return d.Error == "" && d.StatusCode/100 == 2 }

// A DeliveryLog keeps webhook delivery attempts. Stores that implement it keep
// them with the execution; the engine falls back to memory otherwise.
type DeliveryLog interface {
	AddDelivery(ctx context.Context, d Delivery) error
	// Deliveries returns an execution's attempts in the order they were made.
	Deliveries(ctx context.Context, executionID string) ([]Delivery, error)
}
