package titan_test

import (
	"os"
	"testing"

	"github.com/titanscrape/titan"
)

// FuzzParseTask feeds arbitrary task files to ParseTask and Validate: they may
// reject them, never panic.
func FuzzParseTask(f *testing.F) {
	for _, p := range []string{"testdata/task.yaml", "testdata/invalid_task.json"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"name":"a","execution_plan":{"steps":[{"id":"a","action_type":"scrape","from":["a"]}]}}`))
	f.Add([]byte(`{"name":"a","urls":["http://[::1"],"output_schema":{"type":"object","properties":{"p":{"x-selector":"xpath://a["}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		task, err := titan.ParseTask(data)
		if err != nil {
			return
		}
		_ = task.Validate()
		_ = task.Clone()
	})
}

// FuzzParseSchedule feeds arbitrary cron specs to the schedule parser.
func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"0 6 * * *", "*/5 * * * * *", "@every 1h30m", "CRON_TZ=Europe/Berlin 0 6 * * 1-5", "@hourly", "61 * * * *"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		_, _ = titan.ParseSchedule(spec)
	})
}
