package site

import (
	"math"
	"strconv"
	"strings"
)

// Product is one product of the shop, as its page shows it. Products are a pure
// function of their ID, so a crawler's output can be checked without the Site.
type Product struct {
	ID       int
	Name     string
	Slug     string
	SKU      string  // "BS-000042"
	Price    float64 // dollars, two decimals
	InStock  bool
	Image    string // path of the main image, "/img/42.jpg"
	Category int    // index into Categories
}

// Categories are the shop's category names; their pages are linked from every
// page's navigation but are not part of a restricted crawl.
var Categories = [...]string{
	"Kitchen", "Garden", "Office", "Audio", "Lighting", "Outdoor", "Bathroom", "Storage",
}

var (
	adjectives = [...]string{
		"Compact", "Deluxe", "Rustic", "Modern", "Classic", "Portable", "Sturdy", "Slim",
		"Quiet", "Smart", "Foldable", "Heavy-Duty", "Minimal", "Vintage", "Ergonomic", "Cordless",
	}
	materials = [...]string{
		"Walnut", "Steel", "Copper", "Bamboo", "Ceramic", "Linen", "Oak", "Glass", "Cotton", "Brass", "Slate",
	}
	nouns = [...]string{
		"Desk Lamp", "Kettle", "Planter", "Bookshelf", "Speaker", "Chair", "Toolbox", "Mirror",
		"Blender", "Lantern", "Rug", "Headphones", "Clock", "Shelf", "Cutting Board", "Fan",
	}
)

// mix is a 64-bit finaliser (splitmix64): a cheap deterministic hash of an ID.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// ProductOf returns the product with the given ID (1 or more).
func ProductOf(id int) Product {
	h := mix(uint64(id))
	name := adjectives[h%uint64(len(adjectives))] + " " + materials[h>>8%uint64(len(materials))] + " " +
		nouns[h>>16%uint64(len(nouns))] + " " + strconv.Itoa(100+int(h>>24%900))
	cents := 199 + int(h>>34%249_800) // $1.99 to $2,499.98
	return Product{
		ID:       id,
		Name:     name,
		Slug:     slugify(name),
		SKU:      "BS-" + pad6(id),
		Price:    float64(cents) / 100,
		InStock:  id%7 != 0,
		Image:    "/img/" + strconv.Itoa(id) + ".jpg",
		Category: int(h >> 56 % uint64(len(Categories))),
	}
}

// Path returns the product page's path, "/product/42-compact-walnut-desk-lamp-512".
func (p Product) Path() string { return "/product/" + strconv.Itoa(p.ID) + "-" + p.Slug }

// PriceText returns the price as shown, "$1,234.50".
func (p Product) PriceText() string {
	cents := int64(math.Round(p.Price * 100))
	digits := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	b.WriteByte('$')
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	frac := cents % 100
	b.WriteByte('.')
	b.WriteByte(byte('0' + frac/10))
	b.WriteByte(byte('0' + frac%10))
	return b.String()
}

// AvailabilityText returns the availability as shown.
func (p Product) AvailabilityText() string {
	if p.InStock {
		return "In stock"
	}
	return "Out of stock"
}

// ParseSKU returns the product ID of a SKU, or 0.
func ParseSKU(sku string) int {
	digits, ok := strings.CutPrefix(sku, "BS-")
	if !ok || len(digits) < 6 {
		return 0
	}
	id, err := strconv.Atoi(digits)
	if err != nil || id < 1 {
		return 0
	}
	return id
}

func pad6(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 6 {
		s = strings.Repeat("0", 6-len(s)) + s
	}
	return s
}

func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
