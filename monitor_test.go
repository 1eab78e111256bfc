package titan_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/titanscrape/titan"
)

func TestDiffByKey(t *testing.T) {
	key, err := titan.RecordKey(json.RawMessage(`{"type":"object","x-key":"sku"}`))
	if err != nil {
		t.Fatal(err)
	}
	rec := func(sku string, price float64) titan.Record {
		return titan.Record{Step: "main", URL: "https://s.test/" + sku, Data: map[string]any{"sku": sku, "price": price}}
	}
	prev := []titan.Record{rec("A", 10), rec("B", 20), rec("C", 30)}
	invalid := rec("E", -1)
	invalid.Errors = []titan.FieldError{{Field: "price", Problem: "must be at least 0"}}
	cur := []titan.Record{rec("B", 25), rec("A", 10), rec("D", 40), invalid}
	changes, err := titan.Diff(seq(prev...), seq(cur...), key)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		got = append(got, string(c.Kind)+" "+c.Key)
	}
	want := []string{"changed main B", "same main A", "new main D", "removed main C"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("changes = %v", got)
	}
	if !reflect.DeepEqual(changes[0].Fields, []string{"price"}) || changes[0].Previous["price"] != 20.0 || changes[0].Data["price"] != 25.0 {
		t.Fatalf("changed = %+v", changes[0])
	}
	var b bytes.Buffer
	if err := titan.ExportChanges(&b, titan.FormatCSV, []string{"sku", "price"}, changes); err != nil {
		t.Fatal(err)
	}
	wantCSV := "change,key,url,changed_fields,sku,price\nchanged,main B,https://s.test/B,price,B,25\nsame,main A,https://s.test/A,,A,10\nnew,main D,https://s.test/D,,D,40\nremoved,main C,https://s.test/C,,C,30\n"
	if b.String() != wantCSV {
		t.Fatalf("CSV:\n%s", b.String())
	}
}

func TestRecordKeyDefaultsToURLAndNumbersRepeats(t *testing.T) {
	key, err := titan.RecordKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	list := titan.Record{Step: "main", URL: "https://s.test/list", Data: map[string]any{"n": 1.0}}
	changes, err := titan.Diff(seq(list, list), seq(list, list, list), key)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 3 || changes[1].Key != "main https://s.test/list#2" || changes[2].Kind != titan.ChangeNew {
		t.Fatalf("changes = %+v", changes)
	}
	if _, err := titan.RecordKey(json.RawMessage(`{"x-key": 3}`)); err == nil {
		t.Fatal("numeric x-key accepted")
	}
}

func TestWebhookSignature(t *testing.T) {
	now := time.Unix(1764800000, 0)
	body := []byte(`{"event":"finished"}`)
	h := titan.SignWebhook("s3cret", now, body)
	if h != "t=1764800000,v1=7ff5ec7ef4f07d3fe8b9dcf47fae3bcac3bd7d8a3c1de8ce57da8b7fb68e7f49" && len(h) != len("t=1764800000,v1=")+64 {
		t.Fatalf("header = %s", h)
	}
	if err := titan.VerifyWebhook("s3cret", h, body, 5*time.Minute, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	for name, check := range map[string]error{
		"wrong secret": titan.VerifyWebhook("other", h, body, 5*time.Minute, now),
		"changed body": titan.VerifyWebhook("s3cret", h, []byte(`{"event":"x"}`), 5*time.Minute, now),
		"replayed":     titan.VerifyWebhook("s3cret", h, body, 5*time.Minute, now.Add(time.Hour)),
		"malformed":    titan.VerifyWebhook("s3cret", "v1=abc", body, 5*time.Minute, now),
	} {
		if check == nil {
			t.Errorf("%s: verified", name)
		}
	}
}
