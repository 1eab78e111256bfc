package titan

import (
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// ChangeKind says how a record differs from the previous execution's.
type ChangeKind string

// The kinds of change.
const (
	ChangeNew     ChangeKind = "new"     // no record with its key before
	ChangeChanged ChangeKind = "changed" // some fields differ; Fields names them
	ChangeSame    ChangeKind = "same"    // every field is equal
	ChangeRemoved ChangeKind = "removed" // only the previous execution had its key
)

// Change is one record of a change set: the comparison of an execution's records
// with those of the previous successful execution of the same task, by record key.
type Change struct {
	Kind ChangeKind `json:"change"`
	Key  string     `json:"key"`
	URL  string     `json:"url,omitempty"`
	Step string     `json:"step,omitempty"`
	// Fields names the top-level fields that differ, sorted, for changed records.
	Fields []string `json:"changed_fields,omitempty"`
	// Data is the record now (nil when removed); Previous the record before (nil
	// when new).
	Data     map[string]any `json:"data,omitempty"`
	Previous map[string]any `json:"previous,omitempty"`
}

// RecordKey returns the key function of records with the given output schema: the
// values of the fields named by its top-level "x-key" keyword (a field name or a
// list of them), or, without one, the record's source URL. A key seen again in the
// same execution gets "#2", "#3", ... appended, so records from one listing page
// keep distinct keys.
func RecordKey(outputSchema json.RawMessage) (func(Record) string, error) {
	var fields []string
	if len(outputSchema) > 0 {
		var top struct {
			Key json.RawMessage `json:"x-key"`
		}
		if err := json.Unmarshal(outputSchema, &top); err != nil {
			return nil, fmt.Errorf("titan: output_schema: %w", err)
		}
		if len(top.Key) > 0 {
			var one string
			if err := json.Unmarshal(top.Key, &one); err == nil {
				fields = []string{one}
			} else if err := json.Unmarshal(top.Key, &fields); err != nil || len(fields) == 0 {
				return nil, fmt.Errorf("titan: output_schema.x-key: want a field name or a list of field names")
			}
		}
	}
	return func(r Record) string {
		if len(fields) == 0 {
			return r.Step + " " + r.URL
		}
		if len(fields) == 1 {
			if s, ok := r.Data[fields[0]].(string); ok {
				return r.Step + " " + s
			}
		}
		parts := make([]any, len(fields))
		for i, f := range fields {
			parts[i] = r.Data[f]
		}
		b, _ := json.Marshal(parts) // unambiguous: ["a|b","c"] differs from ["a","b|c"]
		return r.Step + " " + string(b)
	}, nil
}

// Diff compares the valid records of an execution (cur) with those of the previous
// one (prev) by key, and returns the change set: cur's records in order, marked
// new, changed or same, then prev's records that cur lacks, marked removed.
// Invalid records take no part: they are reported with their execution.
func Diff(prev, cur iter.Seq2[Record, error], key func(Record) string) ([]Change, error) {
	type old struct {
		rec  Record
		seen bool
	}
	before := map[string]*old{}
	var order []string
	prevKeys := counter{}
	for r, err := range prev {
		if err != nil {
			return nil, err
		}
		if !r.Valid() {
			continue
		}
		k := prevKeys.key(key(r))
		before[k] = &old{rec: r}
		order = append(order, k)
	}
	var changes []Change
	curKeys := counter{}
	for r, err := range cur {
		if err != nil {
			return nil, err
		}
		if !r.Valid() {
			continue
		}
		k := curKeys.key(key(r))
		c := Change{Key: k, URL: r.URL, Step: r.Step, Data: r.Data}
		if o, ok := before[k]; ok {
			o.seen = true
			c.Previous = o.rec.Data
			c.Fields = changedFields(o.rec.Data, r.Data)
			c.Kind = ChangeSame
			if len(c.Fields) > 0 {
				c.Kind = ChangeChanged
			}
		} else {
			c.Kind = ChangeNew
		}
		changes = append(changes, c)
	}
	for _, k := range order {
		if o := before[k]; !o.seen {
			changes = append(changes, Change{Kind: ChangeRemoved, Key: k, URL: o.rec.URL, Step: o.rec.Step, Previous: o.rec.Data})
		}
	}
	return changes, nil
}

// counter makes repeated keys distinct.
type counter map[string]int

func (c counter) key(k string) string {
	c[k]++
	if n := c[k]; n > 1 {
		return k + "#" + strconv.Itoa(n)
	}
	return k
}

func changedFields(a, b map[string]any) []string {
	var fields []string
	for k, v := range b {
		if w, ok := a[k]; !ok || !reflect.DeepEqual(v, w) {
			fields = append(fields, k)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			fields = append(fields, k)
		}
	}
	slices.Sort(fields)
	return fields
}

// ExportChanges writes a change set in format f. JSON and JSONL write each Change
// whole. CSV writes change, key, url, changed_fields (joined by spaces), then one
// column per name in columns with the current value (the previous one for removed
// records), formatted as in Export.
func ExportChanges(w io.Writer, f Format, columns []string, changes []Change) error {
	switch f {
	case FormatJSON, FormatJSONL:
		recs := func(yield func(Change, error) bool) {
			for _, c := range changes {
				if !yield(c, nil) {
					return
				}
			}
		}
		return writeJSON(w, f == FormatJSON, recs)
	case FormatCSV:
		rows := make([][]string, 0, len(changes)+1)
		rows = append(rows, slices.Concat([]string{"change", "key", "url", "changed_fields"}, columns))
		for _, c := range changes {
			data := c.Data
			if data == nil {
				data = c.Previous
			}
			row := []string{string(c.Kind), c.Key, c.URL, strings.Join(c.Fields, " ")}
			for _, col := range columns {
				row = append(row, cell(data[col]))
			}
			rows = append(rows, row)
		}
		return writeCSV(w, rows)
	}
	return fmt.Errorf("titan: unknown export format %q", f)
}
