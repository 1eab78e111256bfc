package titan

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Format is an export format of results.
type Format string

// The export formats.
const (
	// FormatJSON writes one JSON array of records.
	FormatJSON Format = "json"
	// FormatJSONL writes one record per line.
	FormatJSONL Format = "jsonl"
	// FormatCSV writes a header and one row per record; see Export for the columns.
	FormatCSV Format = "csv"
)

// FormatOf returns the format named by a file name's extension (.json, .jsonl,
// .ndjson, .csv).
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return FormatJSON, nil
	case ".jsonl", ".ndjson":
		return FormatJSONL, nil
	case ".csv":
		return FormatCSV, nil
	}
	return "", fmt.Errorf("titan: %s: unknown export format (want .json, .jsonl or .csv)", path)
}

// Export writes records to w in format f.
//
// JSON and JSONL write each Record whole, as its JSON form: seq, execution_id, step,
// url, data, errors and page. Nothing is lost.
//
// CSV writes the columns seq, step, url, valid, then one column per name in columns
// (the output schema's top-level properties in declared order: see
// schema.Schema.Columns; a name that is one of the other columns' is written
// "data.<name>"), then "extra" holding any data fields not in columns as a
// JSON object, then "errors" as a JSON array, then one column per page format
// present on the first record (html, text, markdown, links, metadata). Strings are
// written as they are; numbers in their shortest exact form; booleans as true and
// false; null and absent fields as empty cells; arrays and objects as compact JSON.
// Without columns, the data fields of the first record, sorted, are the columns.
func Export(w io.Writer, f Format, columns []string, records iter.Seq2[Record, error]) error {
	switch f {
	case FormatJSON, FormatJSONL:
		return writeJSON(w, f == FormatJSON, records)
	case FormatCSV:
		return exportCSV(w, columns, records)
	}
	return fmt.Errorf("titan: unknown export format %q", f)
}

// writeJSON writes values as a JSON array or as JSON lines.
func writeJSON[T any](w io.Writer, array bool, values iter.Seq2[T, error]) error {
	bw := bufio.NewWriter(w)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	sep := "\n"
	if array {
		bw.WriteString("[")
		sep = ",\n"
	}
	n := 0
	for v, err := range values {
		if err != nil {
			return err
		}
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return fmt.Errorf("titan: export item %d: %w", n+1, err)
		}
		if array {
			if n > 0 {
				bw.WriteString(sep)
			} else {
				bw.WriteString("\n")
			}
			buf.Truncate(buf.Len() - 1) // the encoder's newline
		}
		bw.Write(buf.Bytes())
		n++
	}
	if array {
		if n > 0 {
			bw.WriteString("\n")
		}
		bw.WriteString("]\n")
	}
	return bw.Flush()
}

var pageColumns = []string{"html", "text", "markdown", "links", "metadata"}

func exportCSV(w io.Writer, columns []string, records iter.Seq2[Record, error]) error {
	cw := csv.NewWriter(w)
	var (
		header []string
		pages  []string
		row    []string
		known  map[string]bool
	)
	for rec, err := range records {
		if err != nil {
			return err
		}
		if header == nil {
			if len(columns) == 0 {
				columns = slices.Sorted(maps.Keys(rec.Data))
			}
			known = make(map[string]bool, len(columns))
			for _, c := range columns {
				known[c] = true
			}
			if rec.Page != nil {
				for _, p := range pageColumns {
					if pageField(rec.Page, p) != nil {
						pages = append(pages, p)
					}
				}
			}
			header = slices.Concat([]string{"seq", "step", "url", "valid"}, dataHeaders(columns), []string{"extra", "errors"}, pages)
			if err := cw.Write(header); err != nil {
				return err
			}
		}
		row = append(row[:0], strconv.FormatInt(rec.Seq, 10), rec.Step, rec.URL, strconv.FormatBool(rec.Valid()))
		for _, c := range columns {
			row = append(row, cell(rec.Data[c]))
		}
		var extra map[string]any
		for k, v := range rec.Data {
			if !known[k] {
				if extra == nil {
					extra = make(map[string]any)
				}
				extra[k] = v
			}
		}
		row = append(row, cell(extra))
		if len(rec.Errors) > 0 {
			row = append(row, cell(rec.Errors))
		} else {
			row = append(row, "")
		}
		for _, p := range pages {
			if rec.Page == nil {
				row = append(row, "")
				continue
			}
			row = append(row, cell(pageField(rec.Page, p)))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	if header == nil {
		cw.Write(slices.Concat([]string{"seq", "step", "url", "valid"}, dataHeaders(columns), []string{"extra", "errors"}))
	}
	cw.Flush()
	return cw.Error()
}

// dataHeaders names the data columns, prefixing with "data." those that would
// collide with the record's own columns (a schema with a "url" property).
func dataHeaders(columns []string) []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		switch c {
		case "seq", "step", "url", "valid", "extra", "errors", "html", "text", "markdown", "links", "metadata":
			c = "data." + c
		}
		out[i] = c
	}
	return out
}

// writeCSV writes rows as CSV.
func writeCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("titan: export CSV: %w", err)
	}
	return nil
}

// pageField returns a page format by name, or nil when it is absent.
func pageField(p *PageContent, name string) any {
	switch name {
	case "html":
		return nonEmpty(p.HTML)
	case "text":
		return nonEmpty(p.Text)
	case "markdown":
		return nonEmpty(p.Markdown)
	case "links":
		if p.Links != nil {
			return p.Links
		}
	case "metadata":
		if p.Metadata != nil {
			return p.Metadata
		}
	}
	return nil
}

func nonEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// cell formats one CSV cell.
func cell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case json.Number:
		return v.String()
	case map[string]any:
		if v == nil {
			return ""
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}
