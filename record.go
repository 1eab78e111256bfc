package titan

import (
	"fmt"

	"github.com/titanscrape/titan/page"
	"github.com/titanscrape/titan/schema"
)

// FieldError is one problem with a field path; see schema.FieldError.
type FieldError = schema.FieldError

// Record is one result item of an execution.
type Record struct {
	// Seq numbers the records of an execution from 1, in the order the store
	// appended them.
	Seq         int64  `json:"seq"`
	ExecutionID string `json:"execution_id"`
	// Step is the plan step that produced the record ("main" without a plan).
	Step string `json:"step"`
	// ID names the record within its execution: the step and the record's ordinal
	// in that step, e.g. "search:3". Downstream records point to it as Parent.
	ID string `json:"id,omitempty"`
	// Parent is the ID of the upstream record whose item produced this record, in
	// multi-step plans: the record's lineage.
	Parent string `json:"parent,omitempty"`
	// URL is the source the record came from.
	URL string `json:"url,omitempty"`
	// Data holds the fields, shaped by the step's output schema.
	Data map[string]any `json:"data"`
	// Errors lists per-field problems; a record with none is valid. An invalid
	// record is kept and counted, never dropped.
	Errors []FieldError `json:"errors,omitempty"`
	// Page holds the page formats a scrape was asked for, or nil.
	Page *PageContent `json:"page,omitempty"`
}

// Valid reports whether the record passed its schema.
func (r *Record) Valid() bool { return len(r.Errors) == 0 }

// Decode decodes a record's data into T, typically the struct its schema came
// from (see schema.For).
func Decode[T any](r Record) (T, error) {
	v, err := schema.Decode[T](r.Data)
	if err != nil {
		return v, fmt.Errorf("titan: record %d of execution %s: %w", r.Seq, r.ExecutionID, err)
	}
	return v, nil
}

// PageContent holds the page formats a scrape was asked for (params.formats).
type PageContent struct {
	HTML     string      `json:"html,omitempty"`
	Text     string      `json:"text,omitempty"`
	Markdown string      `json:"markdown,omitempty"`
	Links    []page.Link `json:"links,omitempty"`
	// LinksSkipped counts links that cannot be fetched over HTTP (javascript:,
	// mailto:, data: and the like), which Links leaves out.
	LinksSkipped int            `json:"links_skipped,omitempty"`
	Metadata     *page.Metadata `json:"metadata,omitempty"`
}
