// Command titan runs titan task files.
//
//	titan run TASK [-o OUT] [-c N] [--max-pages N]   run a task and write its records
//	titan preview TASK [-o OUT]                       run under tight limits (5 pages, 30 s)
//	titan validate TASK                               print every problem with its field path
//	titan schema TASK                                 print the output's JSON Schema
//
// TASK is a .json, .yaml or .yml file in the shape of Titan's Task Service API. OUT
// is a .jsonl (default: results.jsonl), .json or .csv file, or "-" for JSONL on
// standard output.
//
// On a terminal, run and preview show a progress line (pages, records, errors,
// rate) on standard error; otherwise they print a plain line every few seconds.
// Both end with a summary.
//
// # Exit codes
//
//	0  the execution completed (validate: the task is valid)
//	1  an unexpected error, e.g. the output file could not be written
//	2  usage error: unknown command or flag, missing argument
//	3  the task file cannot be read or is invalid
//	4  the execution failed or was cancelled (interrupt)
//	5  the execution completed with errors (failed items or invalid records)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Exit codes; see the package doc.
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitInvalidTask = 3
	exitFailed      = 4
	exitWithErrors  = 5
)

const usage = `usage:
  titan run TASK [-o OUT] [-c N] [--max-pages N]
  titan preview TASK [-o OUT]
  titan validate TASK
  titan schema TASK
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// exitErr carries an exit code with an error message.
type exitErr struct {
	code int
	err  error
}

func (e *exitErr) Error() string { return e.err.Error() }

func fail(code int, format string, args ...any) error {
	return &exitErr{code: code, err: fmt.Errorf(format, args...)}
}

// run executes the command line args and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "run", "preview":
		err = runTask(ctx, cmd == "preview", rest, stdout, stderr)
	case "validate":
		err = validate(rest, stdout)
	case "schema":
		err = printSchema(rest, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "titan: unknown command %q\n%s", cmd, usage)
		return exitUsage
	}
	if err == nil {
		return exitOK
	}
	code := exitError
	var ee *exitErr
	if errors.As(err, &ee) {
		code = ee.code
	}
	if msg := strings.TrimPrefix(err.Error(), "titan: "); msg != "" {
		fmt.Fprintln(stderr, "titan:", msg)
	}
	return code
}

// parseFlags parses flags that may come before or after the single TASK argument.
func parseFlags(fs *flag.FlagSet, args []string) (string, error) {
	fs.SetOutput(io.Discard)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return "", fail(exitUsage, "%s: %v\n%s", fs.Name(), err, usage)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	if len(positional) != 1 {
		return "", fail(exitUsage, "%s: want exactly one task file, got %d\n%s", fs.Name(), len(positional), usage)
	}
	return positional[0], nil
}
