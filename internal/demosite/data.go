package demosite

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Product is one article of the shop: the ground truth that scrapers of the
// demo site are checked against. Text fields hold the text as a browser shows
// it (e.g. "Hart & Vale"); the pages escape it.
type Product struct {
	// ID numbers the products from 1 to Config.Products.
	ID int `json:"id"`
	// SKU is "SKU-" and the ID in five digits, e.g. "SKU-00042".
	SKU string `json:"sku"`
	// Name is the product name shown in the page title and the <h1>.
	Name string `json:"name"`
	// Slug is the URL-safe form of Name used in URL.
	Slug string `json:"slug"`
	// Brand is the maker, the first word or words of Name.
	Brand string `json:"brand"`
	// Description is the one-sentence summary used as meta description and
	// as the first paragraph of the description section.
	Description string `json:"description"`
	// Price is the price in Currency, rounded to cents, e.g. 1234.5.
	Price float64 `json:"price"`
	// Currency is always "USD".
	Currency string `json:"currency"`
	// InStock reports whether the page says "In stock" (else "Out of stock").
	InStock bool `json:"in_stock"`
	// Rating is the average rating from 1.0 to 5.0, one decimal.
	Rating float64 `json:"rating"`
	// Reviews is the review count, shown as "(128 reviews)".
	Reviews int `json:"reviews"`
	// Image is the path of the main image, e.g. "/img/42.jpg".
	Image string `json:"image"`
	// Tags are the tags listed in <ul class="tags">, in page order.
	Tags []string `json:"tags"`
	// Category is the display name of the category, e.g. "Coffee Machines".
	Category string `json:"category"`
	// CategorySlug is the category's path segment, e.g. "coffee-machines".
	CategorySlug string `json:"category_slug"`
	// URL is the canonical path of the product page, e.g.
	// "/product/42-nordwind-pro-laptop-x52".
	URL string `json:"url"`
}

// clone returns a copy of p that shares no memory with it.
func (p Product) clone() Product {
	p.Tags = append([]string(nil), p.Tags...)
	return p
}

// category is one department of the shop and what its products look like.
type category struct {
	Name, Slug string
	Nouns      []string
	Low, High  float64 // price range
	Tags       []string
	Specs      []spec
	ids        []int // products in this category, ascending
}

// spec is one row of the specifications table: a label and its possible
// values.
type spec struct {
	Label  string
	Values []string
}

func categories() []category {
	return []category{
		{Name: "Laptops", Slug: "laptops", Nouns: []string{"Laptop", "Ultrabook", "Notebook", "Workstation"},
			Low: 549, High: 2999, Tags: []string{"laptop", "portable", "work", "student", "gaming"},
			Specs: []spec{{"Screen", []string{"13.3 in", "14 in", "15.6 in", "16 in"}}, {"Memory", []string{"8 GB", "16 GB", "32 GB"}},
				{"Storage", []string{"256 GB SSD", "512 GB SSD", "1 TB SSD"}}, {"Battery", []string{"10 h", "14 h", "20 h"}}}},
		{Name: "Cameras", Slug: "cameras", Nouns: []string{"Mirrorless Camera", "DSLR", "Action Cam", "Compact Camera"},
			Low: 199, High: 2499, Tags: []string{"camera", "photo", "video", "travel", "4k"},
			Specs: []spec{{"Sensor", []string{"APS-C", "Full frame", "1 in"}}, {"Resolution", []string{"20 MP", "24 MP", "45 MP"}},
				{"Video", []string{"4K 30p", "4K 60p", "1080p"}}}},
		{Name: "Headphones", Slug: "headphones", Nouns: []string{"Wireless Headphones", "Earbuds", "Studio Headphones"},
			Low: 29, High: 449, Tags: []string{"audio", "wireless", "noise-cancelling", "bluetooth"},
			Specs: []spec{{"Driver", []string{"30 mm", "40 mm", "50 mm"}}, {"Battery", []string{"20 h", "30 h", "40 h"}},
				{"Connection", []string{"Bluetooth 5.3", "USB-C", "3.5 mm jack"}}}},
		{Name: "Coffee Machines", Slug: "coffee-machines", Nouns: []string{"Espresso Machine", "Drip Coffee Maker", "Bean-to-Cup Machine"},
			Low: 79, High: 1899, Tags: []string{"coffee", "kitchen", "espresso", "barista"},
			Specs: []spec{{"Pressure", []string{"9 bar", "15 bar", "19 bar"}}, {"Water tank", []string{"1.2 l", "1.8 l", "2.5 l"}},
				{"Power", []string{"1200 W", "1450 W", "1700 W"}}}},
		{Name: "Smartphones", Slug: "smartphones", Nouns: []string{"Smartphone", "Phone", "Foldable Phone"},
			Low: 149, High: 1599, Tags: []string{"phone", "5g", "android", "camera", "dual-sim"},
			Specs: []spec{{"Display", []string{"6.1 in", "6.5 in", "6.8 in"}}, {"Storage", []string{"128 GB", "256 GB", "512 GB"}},
				{"Battery", []string{"4000 mAh", "4500 mAh", "5000 mAh"}}}},
		{Name: "Monitors", Slug: "monitors", Nouns: []string{"Monitor", "Curved Monitor", "Gaming Monitor"},
			Low: 119, High: 1299, Tags: []string{"display", "office", "gaming", "4k", "usb-c"},
			Specs: []spec{{"Size", []string{"24 in", "27 in", "32 in", "34 in"}}, {"Resolution", []string{"1920×1080", "2560×1440", "3840×2160"}},
				{"Refresh rate", []string{"60 Hz", "144 Hz", "165 Hz"}}}},
		{Name: "Bicycles", Slug: "bicycles", Nouns: []string{"City Bike", "E-Bike", "Gravel Bike", "Folding Bike"},
			Low: 299, High: 3499, Tags: []string{"bike", "outdoor", "commute", "electric", "sport"},
			Specs: []spec{{"Frame", []string{"Aluminium", "Steel", "Carbon"}}, {"Gears", []string{"1", "8", "11", "22"}},
				{"Weight", []string{"9.8 kg", "12.5 kg", "21 kg"}}}},
		{Name: "Books", Slug: "books", Nouns: []string{"Cookbook", "Field Guide", "Novel", "Atlas"},
			Low: 8, High: 59, Tags: []string{"book", "paperback", "hardcover", "gift"},
			Specs: []spec{{"Pages", []string{"192", "288", "416", "640"}}, {"Format", []string{"Paperback", "Hardcover"}},
				{"Language", []string{"English"}}}},
	}
}

var (
	brands      = [...]string{"Nordwind", "Aurora", "Kestrel", "Lumen", "Brightwater", "Ironpeak", "Hart & Vale", "Solace", "Vantage", "Halcyon", "Orbit", "Fjell"}
	series      = [...]string{"Pro", "Air", "Max", "Lite", "Plus", "One", "Neo", "Studio", "Go", "Ultra"}
	adjectives  = [...]string{"reliable", "compact", "beautifully made", "surprisingly quiet", "powerful", "lightweight", "well-balanced", "durable"}
	audiences   = [...]string{"everyday use", "professionals", "families", "beginners and experts alike", "travel", "small spaces", "long days"}
	generalTags = [...]string{"sale", "new", "bestseller", "eco", "limited"}
	colours     = [...]string{"Black", "Silver", "Graphite", "White", "Midnight Blue", "Forest Green"}
)

// generate returns the epoch-0 catalogue of n products and the categories
// with their product IDs.
func generate(n int, seed int64) ([]Product, []category) {
	r := rand.New(rand.NewPCG(uint64(seed), 0x7469_7461_6e00_0001))
	cats := categories()
	products := make([]Product, n)
	for i := range products {
		id := i + 1
		ci := r.IntN(len(cats))
		c := &cats[ci]
		c.ids = append(c.ids, id)
		brand := brands[r.IntN(len(brands))]
		noun := c.Nouns[r.IntN(len(c.Nouns))]
		name := brand + " " + series[r.IntN(len(series))] + " " + noun + " " + string(rune('A'+r.IntN(26))) + strconv.Itoa(10+r.IntN(90))
		slug := slugify(name)
		tags := pick(r, c.Tags, 2+r.IntN(2))
		if r.IntN(3) == 0 {
			tags = append(tags, generalTags[r.IntN(len(generalTags))])
		}
		products[i] = Product{
			ID:           id,
			SKU:          "SKU-" + pad5(id),
			Name:         name,
			Slug:         slug,
			Brand:        brand,
			Description:  "The " + name + " is a " + adjectives[r.IntN(len(adjectives))] + " " + strings.ToLower(noun) + " for " + audiences[r.IntN(len(audiences))] + ".",
			Price:        price(r, c.Low, c.High),
			Currency:     "USD",
			InStock:      r.IntN(5) != 0,
			Rating:       float64(25+r.IntN(26)) / 10,
			Reviews:      reviewCount(r),
			Image:        "/img/" + strconv.Itoa(id) + ".jpg",
			Tags:         tags,
			Category:     c.Name,
			CategorySlug: c.Slug,
			URL:          "/product/" + strconv.Itoa(id) + "-" + slug,
		}
	}
	return products, cats
}

// atEpoch returns the catalogue at epoch e: each product's price changes with
// probability 1/4 (by -20% to +20%, never to the same price) and its stock
// flips with probability 1/10, decided by a generator seeded with the shop
// seed, the epoch and the product ID. Epochs are not cumulative: each is
// derived from epoch 0.
func atEpoch(base []Product, seed int64, e int) []Product {
	out := make([]Product, len(base))
	copy(out, base)
	if e == 0 {
		return out
	}
	for i := range out {
		p := &out[i]
		r := rand.New(rand.NewPCG(uint64(seed)^0x6570_6f63_6800_0000, uint64(e)<<32|uint64(uint32(p.ID))))
		if r.IntN(4) == 0 {
			factor := 0.8 + 0.4*r.Float64()
			np := math.Floor(p.Price*factor) + 0.99
			if np == p.Price || np < 1 {
				np = p.Price + 5
			}
			p.Price = math.Round(np*100) / 100
		}
		if r.IntN(10) == 0 {
			p.InStock = !p.InStock
		}
	}
	return out
}

// price draws a price in [low, high) ending in .99, .95, .50 or .00.
func price(r *rand.Rand, low, high float64) float64 {
	whole := math.Floor(low + r.Float64()*(high-low))
	cents := [...]float64{0.99, 0.95, 0.5, 0}[r.IntN(4)]
	return math.Round((whole+cents)*100) / 100
}

// reviewCount draws a review count: a few products have one, most a few
// dozen, some hundreds.
func reviewCount(r *rand.Rand) int {
	switch r.IntN(10) {
	case 0:
		return 1 // the singular form appears
	case 1, 2:
		return 200 + r.IntN(1800)
	default:
		return 2 + r.IntN(198)
	}
}

// pick returns k distinct elements of from, in from's order.
func pick(r *rand.Rand, from []string, k int) []string {
	k = min(k, len(from))
	idx := r.Perm(len(from))[:k]
	chosen := make([]bool, len(from))
	for _, i := range idx {
		chosen[i] = true
	}
	out := make([]string, 0, k+1)
	for i, s := range from {
		if chosen[i] {
			out = append(out, s)
		}
	}
	return out
}

// slugify lower-cases s and replaces every run of characters other than
// ASCII letters and digits with one hyphen.
func slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(c)
			continue
		}
		hyphen = true
	}
	return b.String()
}

// pad5 formats n with at least five digits.
func pad5(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 5 {
		s = strings.Repeat("0", 5-len(s)) + s
	}
	return s
}

// formatPrice formats a price as the pages show it: "$1,234.50".
func formatPrice(p float64) string {
	cents := int64(math.Round(p * 100))
	whole, frac := cents/100, cents%100
	digits := strconv.FormatInt(whole, 10)
	var b strings.Builder
	b.WriteByte('$')
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	b.WriteByte('.')
	b.WriteByte(byte('0' + frac/10))
	b.WriteByte(byte('0' + frac%10))
	return b.String()
}

// priceAttr formats a price for data-price and JSON-LD: "1234.50".
func priceAttr(p float64) string {
	return strconv.FormatFloat(p, 'f', 2, 64)
}

// stars renders a rating as five stars, e.g. 4.3 as "★★★★☆".
func stars(rating float64) string {
	full := int(math.Round(rating))
	full = max(0, min(5, full))
	return strings.Repeat("★", full) + strings.Repeat("☆", 5-full)
}
