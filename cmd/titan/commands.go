package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/runner"
)

// load reads and validates a task file with the default runner's actions.
func load(path string, r *runner.Runner) (*titan.Task, error) {
	t, err := titan.LoadTask(path)
	if err != nil {
		return nil, fail(exitInvalidTask, "%v", err)
	}
	if err := r.Validate(t); err != nil {
		return nil, fail(exitInvalidTask, "%s: %v", path, err)
	}
	return t, nil
}

func validate(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	path, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	r, err := runner.New(runner.Config{})
	if err != nil {
		return err
	}
	t, err := titan.LoadTask(path)
	if err != nil {
		return fail(exitInvalidTask, "%v", err)
	}
	err = r.Validate(t)
	var ve *titan.ValidationError
	if errors.As(err, &ve) {
		fmt.Fprintf(stdout, "%s: %d problems\n", path, len(ve.Problems))
		for _, p := range ve.Problems {
			field := p.Field
			if field == "" {
				field = "(task)"
			}
			fmt.Fprintf(stdout, "  %s: %s\n", field, p.Problem)
		}
		return fail(exitInvalidTask, "")
	}
	if err != nil {
		return fail(exitInvalidTask, "%v", err)
	}
	fmt.Fprintf(stdout, "%s: valid\n", path)
	return nil
}

func printSchema(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("schema", flag.ContinueOnError)
	path, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	t, err := titan.LoadTask(path)
	if err != nil {
		return fail(exitInvalidTask, "%v", err)
	}
	for i, s := range t.Steps() {
		if len(s.OutputSchema) == 0 {
			continue
		}
		var buf bytes.Buffer
		if err := json.Indent(&buf, s.OutputSchema, "", "  "); err != nil {
			return fail(exitInvalidTask, "%s: output_schema: %v", path, err)
		}
		if t.ExecutionPlan != nil {
			fmt.Fprintf(stdout, "# step %d (%s)\n", i, s.ID)
		}
		buf.WriteByte('\n')
		stdout.Write(buf.Bytes())
		return nil
	}
	return fail(exitInvalidTask, "%s: the task has no output_schema", path)
}

func runTask(ctx context.Context, preview bool, args []string, stdout, stderr io.Writer) error {
	name := "run"
	if preview {
		name = "preview"
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	out := fs.String("o", "results.jsonl", "output file: .jsonl, .json or .csv; - for JSONL on stdout")
	conc := fs.Int("c", 0, "items processed at once (default: the task's limits.concurrency, else 8)")
	maxPages := fs.Int("max-pages", 0, "cap on pages for this run")
	quiet := fs.Bool("q", false, "no progress output")
	path, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *conc < 0 || *maxPages < 0 {
		return fail(exitUsage, "%s: -c and --max-pages must not be negative\n%s", name, usage)
	}
	format := titan.FormatJSONL
	var file *os.File
	if *out != "-" {
		if format, err = titan.FormatOf(*out); err != nil {
			return fail(exitUsage, "-o: %v", err)
		}
		// Create the output before the run, so a bad path costs no run.
		if file, err = os.Create(*out); err != nil {
			return err
		}
		defer file.Close()
	}
	r, err := runner.New(runner.Config{})
	if err != nil {
		return err
	}
	t, err := load(path, r)
	if err != nil {
		return err
	}
	eng, err := engine.New(engine.Config{Runner: r, FlushInterval: 200 * time.Millisecond})
	if err != nil {
		return err
	}
	defer eng.Close(context.WithoutCancel(ctx))
	created, err := eng.CreateTask(ctx, t)
	if err != nil {
		return fail(exitInvalidTask, "%v", err)
	}
	limits := titan.Limits{Concurrency: *conc, MaxPages: *maxPages}
	opts := []engine.RunOption{}
	if preview {
		limits = engine.DefaultPreviewLimits
		opts = append(opts, engine.WithTrigger(titan.TriggerPreview))
	}
	opts = append(opts, engine.WithLimits(limits))
	x, err := eng.Run(ctx, created.ID, opts...)
	if err != nil {
		return err
	}
	p := newProgress(stderr, *quiet)
	x, err = watch(ctx, eng, x.ID, p)
	if err != nil {
		return err
	}
	p.summary(x)
	w := io.Writer(stdout)
	if file != nil {
		w = file
	}
	// Even after an interrupt, the records so far are written.
	if err := eng.Export(context.WithoutCancel(ctx), x.ID, w, format); err != nil {
		return err
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return err
		}
	}
	switch x.Status {
	case titan.StatusCompleted:
		return nil
	case titan.StatusCompletedWithErrors:
		return fail(exitWithErrors, "")
	}
	return fail(exitFailed, "")
}

// watch shows progress until the execution ends. An interrupt stops the execution,
// which keeps the records it has.
func watch(ctx context.Context, eng *engine.Engine, id string, p *progress) (*titan.Execution, error) {
	done := make(chan struct{})
	var final *titan.Execution
	var waitErr error
	go func() {
		defer close(done)
		final, waitErr = eng.Wait(context.WithoutCancel(ctx), id)
	}()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return final, waitErr
		case <-ctx.Done():
			eng.Stop(context.WithoutCancel(ctx), id)
			<-done
			return final, waitErr
		case <-tick.C:
			if x, err := eng.GetExecution(ctx, id); err == nil {
				p.update(x)
			}
		}
	}
}
