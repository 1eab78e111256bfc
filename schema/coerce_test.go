package schema

import (
	"net/url"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		problem string
	}{
		{"$1,234.56", 1234.56, ""},
		{"1.234,56 €", 1234.56, ""},
		{"1 234,56", 1234.56, ""},
		{"1\u00a0234,56 €", 1234.56, ""},
		{"1'234.50 CHF", 1234.5, ""},
		{"€12", 12, ""},
		{"-3.5", -3.5, ""},
		{"-$3.50", -3.5, ""},
		{"$-3.50", -3.5, ""},
		{"(−2.25)", -2.25, ""},
		{"SKU-123", 123, ""},
		{"12,5", 12.5, ""},
		{"12,50 zł", 12.5, ""},
		{"1,234", 1234, ""},
		{"1,234,567", 1234567, ""},
		{"1.234.567", 1234567, ""},
		{"1.234", 1.234, ""},
		{"0,125", 0.125, ""},
		{"12,3456", 12.3456, ""},
		{"1,234,567.89", 1234567.89, ""},
		{"12 items", 12, ""},
		{"Price: 19.99.", 19.99, ""},
		{"2 100g", 2, ""},
		{"15%", 15, ""},
		{"4.6 out of 5", 4.6, ""},
		{"call us", 0, `no number in "call us"`},
		{"", 0, `no number in ""`},
		{"1,23,45", 0, `"1,23,45" is an ambiguous number`},
		{"1.234,5,6", 0, `"1.234,5,6" is an ambiguous number`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseNumber(tt.in)
			if tt.problem != "" {
				if err == nil || err.Error() != tt.problem {
					t.Fatalf("parseNumber(%q) = %v, %v; want error %q", tt.in, got, err, tt.problem)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseNumber(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseInteger(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		problem string
	}{
		{"1,234", 1234, ""},
		{"12 items", 12, ""},
		{"1.234", 1234, ""},
		{"1 234 567 views", 1234567, ""},
		{"12.00", 12, ""},
		{"-7", -7, ""},
		{"Page 3 of 10", 3, ""},
		{"007", 7, ""},
		{"12.5", 0, `"12.5" is not a whole number`},
		{"12,5", 0, `"12,5" is not a whole number`},
		{"99999999999999999999", 0, `"99999999999999999999" is out of the integer range`},
		{"none", 0, `no number in "none"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseInteger(tt.in)
			if tt.problem != "" {
				if err == nil || err.Error() != tt.problem {
					t.Fatalf("parseInteger(%q) = %v, %v; want error %q", tt.in, got, err, tt.problem)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseInteger(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseBool(t *testing.T) {
	tests := []struct {
		in      string
		want    bool
		problem string
	}{
		{"true", true, ""},
		{"FALSE", false, ""},
		{"Yes", true, ""},
		{"no", false, ""},
		{"1", true, ""},
		{"0", false, ""},
		{"on", true, ""},
		{"Off", false, ""},
		{"In stock", true, ""},
		{"OUT OF STOCK", false, ""},
		{"https://schema.org/InStock", true, ""},
		{"http://schema.org/OutOfStock", false, ""},
		{"Sold out", false, ""},
		{"maybe", false, `"maybe" is not a boolean`},
		{"in stock soon", false, `"in stock soon" is not a boolean`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseBool(tt.in)
			if tt.problem != "" {
				if err == nil || err.Error() != tt.problem {
					t.Fatalf("parseBool(%q) = %v, %v; want error %q", tt.in, got, err, tt.problem)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseBool(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCoerceDates(t *testing.T) {
	date := &node{kind: kindString, format: formatDate}
	dateTime := &node{kind: kindString, format: formatDateTime}
	tests := []struct {
		in               string
		wantDate, wantDT string
		problem          string
	}{
		{"2024-03-05", "2024-03-05", "2024-03-05T00:00:00Z", ""},
		{"2024-03-05T14:30:00+01:00", "2024-03-05", "2024-03-05T14:30:00+01:00", ""},
		{"2024-03-05T14:30:00.250Z", "2024-03-05", "2024-03-05T14:30:00.25Z", ""},
		{"2024-03-05 14:30:00", "2024-03-05", "2024-03-05T14:30:00Z", ""},
		{"2024-03-05 14:30", "2024-03-05", "2024-03-05T14:30:00Z", ""},
		{"2024/03/05", "2024-03-05", "2024-03-05T00:00:00Z", ""},
		{"5.3.2024", "2024-03-05", "2024-03-05T00:00:00Z", ""},
		{"March 5, 2024", "2024-03-05", "2024-03-05T00:00:00Z", ""},
		{"march 5th, 2024", "2024-03-05", "2024-03-05T00:00:00Z", ""},
		{"Mar 5, 2024", "2024-03-05", "2024-03-05T00:00:00Z", ""},
		{"Mar. 5, 2024", "2024-03-05", "2024-03-05T00:00:00Z", ""},
		{"5 March 2024", "2024-03-05", "2024-03-05T00:00:00Z", ""},
		{"21st Mar 2024", "2024-03-21", "2024-03-21T00:00:00Z", ""},
		{"Tuesday, March 5, 2024", "2024-03-05", "2024-03-05T00:00:00Z", ""},
		{"Tue, 05 Mar 2024 14:30:00 +0100", "2024-03-05", "2024-03-05T14:30:00+01:00", ""},
		{"March 5, 2024 2:30 PM", "2024-03-05", "2024-03-05T14:30:00Z", ""},
		{"05/03/2024", "", "", `"05/03/2024" is not a recognised date`},
		{"yesterday", "", "", `"yesterday" is not a recognised date`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := coerce(date, tt.in, nil)
			dt, err2 := coerce(dateTime, tt.in, nil)
			if tt.problem != "" {
				if err == nil || err.Error() != tt.problem || err2 == nil || err2.Error() != tt.problem {
					t.Fatalf("coerce(%q) errors = %v, %v; want %q", tt.in, err, err2, tt.problem)
				}
				return
			}
			if err != nil || err2 != nil || d != tt.wantDate || dt != tt.wantDT {
				t.Fatalf("coerce(%q) = %v, %v (%v, %v); want %q, %q", tt.in, d, dt, err, err2, tt.wantDate, tt.wantDT)
			}
		})
	}
}

func TestCoerceURL(t *testing.T) {
	base, _ := url.Parse("https://gear.example/p/pack?id=1")
	uri := &node{kind: kindString, format: formatURI}
	tests := []struct {
		in, want, problem string
	}{
		{"/img/a.jpg", "https://gear.example/img/a.jpg", ""},
		{"b.jpg", "https://gear.example/p/b.jpg", ""},
		{"?id=2", "https://gear.example/p/pack?id=2", ""},
		{"https://cdn.example/x.png", "https://cdn.example/x.png", ""},
		{"http://[::1", "", `"http://[::1" is not a valid URL`},
		{"", "", "empty URL"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := coerce(uri, tt.in, base)
			if tt.problem != "" {
				if err == nil || err.Error() != tt.problem {
					t.Fatalf("coerce(%q) = %v, %v; want error %q", tt.in, got, err, tt.problem)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("coerce(%q) = %v, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCollapse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"  two\n\twords  ", "two words"},
		{"a\u00a0\u00a0b", "a b"},
		{"a\u202fb ", "a b"},
		{" ", ""},
		{"été à Paris", "été à Paris"},
	}
	for _, tt := range tests {
		if got := collapse(tt.in); got != tt.want {
			t.Errorf("collapse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
