package titan_test

import (
	"bytes"
	"errors"
	"iter"
	"strings"
	"testing"

	"github.com/titanscrape/titan"
)

func seq(recs ...titan.Record) iter.Seq2[titan.Record, error] {
	return func(yield func(titan.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

var exportRecords = []titan.Record{
	{Seq: 1, ExecutionID: "e1", Step: "main", URL: "https://shop.test/p/1",
		Data: map[string]any{"name": "Desk, oak", "price": 1234.5, "tags": []any{"wood", "office"}, "in_stock": true}},
	{Seq: 2, ExecutionID: "e1", Step: "main", URL: "https://shop.test/p/2",
		Data:   map[string]any{"name": "Lamp \"Arc\"", "in_stock": false, "color": "red"},
		Errors: []titan.FieldError{{Field: "", Problem: "missing property 'price'"}}},
}

func TestExportCSV(t *testing.T) {
	var b bytes.Buffer
	if err := titan.Export(&b, titan.FormatCSV, []string{"name", "price", "in_stock", "tags"}, seq(exportRecords...)); err != nil {
		t.Fatal(err)
	}
	want := `seq,step,url,valid,name,price,in_stock,tags,extra,errors
1,main,https://shop.test/p/1,true,"Desk, oak",1234.5,true,"[""wood"",""office""]",,
2,main,https://shop.test/p/2,false,"Lamp ""Arc""",,false,,"{""color"":""red""}","[{""field"":"""",""problem"":""missing property 'price'""}]"
`
	if b.String() != want {
		t.Fatalf("CSV:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestExportJSONL(t *testing.T) {
	var b bytes.Buffer
	if err := titan.Export(&b, titan.FormatJSONL, nil, seq(exportRecords[0])); err != nil {
		t.Fatal(err)
	}
	want := `{"seq":1,"execution_id":"e1","step":"main","url":"https://shop.test/p/1","data":{"in_stock":true,"name":"Desk, oak","price":1234.5,"tags":["wood","office"]}}` + "\n"
	if b.String() != want {
		t.Fatalf("JSONL:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestExportJSONArray(t *testing.T) {
	var b bytes.Buffer
	if err := titan.Export(&b, titan.FormatJSON, nil, seq()); err != nil {
		t.Fatal(err)
	}
	if b.String() != "[]\n" {
		t.Fatalf("empty JSON export = %q", b.String())
	}
	b.Reset()
	if err := titan.Export(&b, titan.FormatJSON, nil, seq(exportRecords...)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "[\n{\"seq\":1") || !strings.HasSuffix(b.String(), "}\n]\n") || strings.Count(b.String(), "\n") != 4 {
		t.Fatalf("JSON export = %s", b.String())
	}
}

func TestExportStopsOnSourceError(t *testing.T) {
	boom := errors.New("store down")
	src := func(yield func(titan.Record, error) bool) { yield(titan.Record{}, boom) }
	for _, f := range []titan.Format{titan.FormatJSON, titan.FormatJSONL, titan.FormatCSV} {
		if err := titan.Export(&bytes.Buffer{}, f, nil, src); !errors.Is(err, boom) {
			t.Errorf("%s: got %v", f, err)
		}
	}
	if err := titan.Export(&bytes.Buffer{}, "xml", nil, seq()); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]titan.Format{"a.json": titan.FormatJSON, "b.JSONL": titan.FormatJSONL, "c.ndjson": titan.FormatJSONL, "d.csv": titan.FormatCSV} {
		if got, err := titan.FormatOf(path); err != nil || got != want {
			t.Errorf("FormatOf(%s) = %s, %v", path, got, err)
		}
	}
	if _, err := titan.FormatOf("e.xml"); err == nil {
		t.Error("xml accepted")
	}
}

func TestExportCSVRenamesCollidingColumns(t *testing.T) {
	var b bytes.Buffer
	rec := titan.Record{Seq: 1, Step: "main", URL: "https://s.test/list", Data: map[string]any{"url": "https://s.test/p/1"}}
	if err := titan.Export(&b, titan.FormatCSV, []string{"url"}, seq(rec)); err != nil {
		t.Fatal(err)
	}
	want := "seq,step,url,valid,data.url,extra,errors\n1,main,https://s.test/list,true,https://s.test/p/1,,\n"
	if b.String() != want {
		t.Fatalf("CSV:\n%s", b.String())
	}
}
