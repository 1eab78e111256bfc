package demosite

import "testing"

func TestFormatPrice(t *testing.T) {
	tests := []struct {
		price      float64
		text, attr string
	}{
		{0, "$0.00", "0.00"},
		{5, "$5.00", "5.00"},
		{9.5, "$9.50", "9.50"},
		{999.99, "$999.99", "999.99"},
		{1000, "$1,000.00", "1000.00"},
		{1234.5, "$1,234.50", "1234.50"},
		{12345.95, "$12,345.95", "12345.95"},
		{1234567.89, "$1,234,567.89", "1234567.89"},
	}
	for _, tt := range tests {
		if got := formatPrice(tt.price); got != tt.text {
			t.Errorf("formatPrice(%v) = %q, want %q", tt.price, got, tt.text)
		}
		if got := priceAttr(tt.price); got != tt.attr {
			t.Errorf("priceAttr(%v) = %q, want %q", tt.price, got, tt.attr)
		}
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hart & Vale Plus Folding Bike H90", "hart-vale-plus-folding-bike-h90"},
		{"Kestrel Neo Bean-to-Cup Machine V34", "kestrel-neo-bean-to-cup-machine-v34"},
		{"  Ünïcode -- Name  ", "n-code-name"},
	}
	for _, tt := range tests {
		if got := slugify(tt.in); got != tt.want {
			t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStars(t *testing.T) {
	tests := []struct {
		rating float64
		want   string
	}{
		{1.0, "★☆☆☆☆"}, {2.5, "★★★☆☆"}, {4.3, "★★★★☆"}, {4.5, "★★★★★"}, {5, "★★★★★"},
	}
	for _, tt := range tests {
		if got := stars(tt.rating); got != tt.want {
			t.Errorf("stars(%v) = %q, want %q", tt.rating, got, tt.want)
		}
	}
}
