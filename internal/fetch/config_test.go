package fetch

import (
	"log/slog"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestConfigDefaults(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	got := c.cfg
	if got.UserAgent != DefaultUserAgent || got.RatePerHost != 4 || got.Burst != 1 ||
		got.MaxConnsPerHost != 4 || got.MaxAttempts != 4 || got.BaseBackoff != 250*time.Millisecond ||
		got.MaxBackoff != 10*time.Second || got.MaxRetryAfter != 60*time.Second ||
		got.MaxBodyBytes != 10<<20 || got.Timeout != 30*time.Second || got.IgnoreRobots ||
		got.Logger == nil || got.Client == nil {
		t.Errorf("defaults = %+v", got)
	}
	tr, ok := got.Client.Transport.(*http.Transport)
	if !ok || tr.MaxIdleConnsPerHost != 4 || tr.Proxy != nil {
		t.Errorf("default transport = %#v", got.Client.Transport)
	}
	if c.agent != "titan" {
		t.Errorf("robots agent = %q, want titan", c.agent)
	}
}

func TestConfigInjectedClientUntouched(t *testing.T) {
	jar := &dummyJar{}
	hc := &http.Client{Jar: jar}
	c, err := New(Config{Client: hc, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if hc.Transport != nil || hc.Jar != jar || hc.CheckRedirect != nil {
		t.Errorf("New modified the injected client: %+v", hc)
	}
	if c.base.Transport != http.DefaultTransport || c.base.Jar != nil {
		t.Errorf("client copy: transport %v, jar %v", c.base.Transport, c.base.Jar)
	}
}

type dummyJar struct{ http.CookieJar }

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"negative attempts", Config{MaxAttempts: -1}, "MaxAttempts -1 is negative"},
		{"negative burst", Config{Burst: -2}, "Burst -2 is negative"},
		{"negative conns", Config{MaxConnsPerHost: -1}, "MaxConnsPerHost -1 is negative"},
		{"negative backoff", Config{BaseBackoff: -time.Second}, "BaseBackoff -1s is negative"},
		{"negative max backoff", Config{MaxBackoff: -time.Second}, "MaxBackoff -1s is negative"},
		{"base over max", Config{BaseBackoff: time.Minute}, "BaseBackoff 1m0s exceeds MaxBackoff 10s"},
		{"negative retry-after", Config{MaxRetryAfter: -1}, "MaxRetryAfter -1ns is negative"},
		{"body below -1", Config{MaxBodyBytes: -2}, "MaxBodyBytes -2 is below -1"},
		{"NaN rate", Config{RatePerHost: math.NaN()}, "RatePerHost is NaN"},
		{"UA line break", Config{UserAgent: "a\r\nX-Evil: 1"}, "contains a line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg)
			if err == nil {
				c.CloseIdleConnections()
				t.Fatal("New succeeded, want an error")
			}
			if !strings.HasPrefix(err.Error(), "fetch: invalid config: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want one containing %q", err, tt.want)
			}
		})
	}
	// Every problem is reported at once.
	_, err := New(Config{MaxAttempts: -1, Burst: -1})
	if err == nil || !strings.Contains(err.Error(), "Burst -1 is negative; MaxAttempts -1 is negative") {
		t.Errorf("error = %v, want both problems", err)
	}
}

func TestConfigSpecialValues(t *testing.T) {
	for _, cfg := range []Config{{RatePerHost: -1}, {MaxBodyBytes: -1}, {Timeout: -1}, {RatePerHost: math.Inf(1)}} {
		c, err := New(cfg)
		if err != nil {
			t.Errorf("New(%+v): %v", cfg, err)
			continue
		}
		c.CloseIdleConnections()
	}
}
