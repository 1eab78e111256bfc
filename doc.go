// Package titan is a Go SDK for durable web-data work: define a task once, run it
// many times, and get validated, typed results.
//
// # Tasks
//
// A [Task] says what to fetch (URLs, or the output of earlier steps), what to do
// with it (an action: scrape, crawl, search, api_call, or one of your own) and what
// the output looks like (a JSON Schema, usually derived from a Go struct with
// schema.For). Task JSON uses the field names of Titan's Task Service API, so task
// files move between titan and the hosted platform; [ParseTask] and [LoadTask] read
// JSON and YAML, and [Task.Validate] reports every problem with its field path.
//
// # Executions and records
//
// Each run is an [Execution] with a status (queued, running, paused, completed,
// completed_with_errors, failed, cancelled), a reason, [Stats] and errors. Its
// results are [Record] values: the data, the source URL, the step, and per-field
// errors when the record failed its schema. Invalid records are kept and counted,
// never dropped. [Decode] turns a record into your struct; [Export] writes records
// as JSON, JSONL or CSV.
//
// # Contracts and implementations
//
// This package holds the nouns and the contracts: [Action] (with [ActionFunc]),
// [Runner], [Fetcher], [Sink] and [Store]. The implementations live in
// subpackages: runner (real HTTP with per-host politeness, retries, robots.txt,
// body caps and charsets), actions (the built-in actions), store/memory (the
// default store), engine (tasks in, executions and results out) and titantest (an
// in-memory site and runner for your unit tests).
//
// # Errors
//
// Static conditions are sentinels such as [ErrNotFound] and [ErrRobotsDisallowed];
// dynamic ones are types such as [*HTTPError], [*BodyTooLargeError] and
// [*ValidationError]. Match them with errors.Is and errors.As. [ClassOf] sorts any
// error into an [ErrorClass] for stats.
package titan
