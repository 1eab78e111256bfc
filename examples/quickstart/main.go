// Command quickstart shows titan end to end. It starts a demo shop on 127.0.0.1,
// defines two tasks in Go (one reads the shop's listing pages, one scrapes each
// product page with a schema derived from a struct), runs them, prints a table and
// the execution summary, and writes the records to results.jsonl.
//
//	go run ./examples/quickstart
//	go run ./examples/quickstart -url https://example.com/
//
// With -url it scrapes the given pages of a real site instead (comma-separated),
// politely (robots.txt, 4 requests per second per host), and prints their metadata.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/internal/demosite"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/schema"
)

// Product is what we want from each product page. The selector tags say where each
// field is; schema.For turns the struct into the task's output schema.
type Product struct {
	Name    string   `json:"name" selector:"h1.product-title"`
	Price   float64  `json:"price" selector:"span.price" jsonschema:"minimum=0"`
	SKU     string   `json:"sku" selector:"span.sku"`
	InStock bool     `json:"in_stock" selector:".availability"`
	Rating  float64  `json:"rating" selector:".rating-value"`
	Image   string   `json:"image" selector:"img.main@src" jsonschema:"format=media"`
	Tags    []string `json:"tags" selector:"ul.tags li"`
}

// Card is one product card of a listing page: the root selector makes each card a record.
type Card struct {
	Name string `json:"name" selector:".product-card .name"`
	URL  string `json:"url" selector:"a.product-link@href" jsonschema:"format=uri"`
}

func main() {
	pages := flag.String("url", "", "scrape these pages of a real site (comma-separated) instead of the demo shop")
	out := flag.String("o", "results.jsonl", "write the records here (.jsonl, .json or .csv)")
	listings := flag.Int("listings", 2, "listing pages of the demo shop to read")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	if *pages != "" {
		err = scrapeSite(ctx, strings.Split(*pages, ","), *out)
	} else {
		err = demo(ctx, *listings, *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// demo runs the two tasks against the embedded demo shop.
func demo(ctx context.Context, listings int, out string) error {
	shop := demosite.New(demosite.Config{Products: 60})
	base, shutdown, err := demosite.Serve(shop.Handler())
	if err != nil {
		return err
	}
	defer shutdown()
	fmt.Printf("demo shop at %s\n\n", base)

	// The shop is ours and on loopback: no need to be slow.
	r, err := runner.New(runner.Config{RatePerHost: 200, MaxConnsPerHost: 8})
	if err != nil {
		return err
	}
	eng, err := engine.New(engine.Config{Runner: r})
	if err != nil {
		return err
	}
	defer eng.Close(context.WithoutCancel(ctx))

	// Task 1: the listing pages, one record per product card.
	cardSchema, err := schema.For[Card]()
	if err != nil {
		return err
	}
	cardSchema = withRootSelector(cardSchema, ".product-card")
	var listingURLs []string
	for i := 1; i <= listings; i++ {
		listingURLs = append(listingURLs, fmt.Sprintf("%s/products?page=%d", base, i))
	}
	catalog, err := eng.CreateTask(ctx, &titan.Task{
		Name:         "demo catalog",
		Objective:    "List the products of the demo shop",
		URLs:         listingURLs,
		OutputSchema: cardSchema,
	})
	if err != nil {
		return err
	}
	x, err := eng.Run(ctx, catalog.ID, engine.Wait())
	if err != nil {
		return err
	}
	var productURLs []string
	for rec, err := range eng.Records(ctx, x.ID) {
		if err != nil {
			return err
		}
		card, err := titan.Decode[Card](rec)
		if err != nil {
			return err
		}
		productURLs = append(productURLs, card.URL)
	}
	fmt.Printf("catalog: %d product links from %d listing pages (%s)\n\n", len(productURLs), len(listingURLs), x.Status)

	// Task 2: every product page, with the schema of Product.
	productSchema, err := schema.For[Product]()
	if err != nil {
		return err
	}
	products, err := eng.CreateTask(ctx, &titan.Task{
		Name:         "demo products",
		Objective:    "Name, price, stock and rating of every product",
		URLs:         productURLs,
		OutputSchema: productSchema,
		Labels:       map[string]string{"example": "quickstart"},
	})
	if err != nil {
		return err
	}
	x, err = eng.Run(ctx, products.ID, engine.Wait())
	if err != nil {
		return err
	}

	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "SKU\tNAME\tPRICE\tIN STOCK\tRATING\t")
	for rec, err := range eng.Records(ctx, x.ID) {
		if err != nil {
			return err
		}
		if !rec.Valid() {
			fmt.Fprintf(tw, "invalid\t%s\t%v\t\t\t\n", rec.URL, rec.Errors)
			continue
		}
		p, err := titan.Decode[Product](rec)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%t\t%.1f\t\n", p.SKU, p.Name, p.Price, p.InStock, p.Rating)
	}
	tw.Flush()
	summary(x)
	return export(ctx, eng, x.ID, out)
}

// scrapeSite scrapes real pages politely and prints what they say about themselves.
func scrapeSite(ctx context.Context, urls []string, out string) error {
	eng, err := engine.New(engine.Config{})
	if err != nil {
		return err
	}
	defer eng.Close(context.WithoutCancel(ctx))
	task, err := eng.CreateTask(ctx, &titan.Task{
		Name:   "quickstart pages",
		URLs:   urls,
		Params: map[string]any{"formats": []any{"metadata", "links"}},
	})
	if err != nil {
		return err
	}
	x, err := eng.Run(ctx, task.ID, engine.Wait())
	if err != nil {
		return err
	}
	for rec, err := range eng.Records(ctx, x.ID) {
		if err != nil {
			return err
		}
		m := rec.Page.Metadata
		fmt.Printf("%s\n  title:       %s\n  description: %s\n  canonical:   %s\n  links:       %d (%d not fetchable)\n  json-ld:     %d blocks\n",
			rec.URL, m.Title, m.Description, m.Canonical, len(rec.Page.Links), rec.Page.LinksSkipped, len(m.JSONLD))
	}
	for _, e := range x.Errors {
		fmt.Printf("%s\n  error (%s): %s\n", e.URL, e.Class, e.Message)
	}
	summary(x)
	return export(ctx, eng, x.ID, out)
}

func summary(x *titan.Execution) {
	s := x.Stats
	fmt.Printf("\nexecution %s: %s (%s)\n", x.ID, x.Status, x.Reason)
	fmt.Printf("  %d requests, %d pages, %.1f KiB, %d retries, %d valid and %d invalid records, %d errors, in %v\n",
		s.Requests, s.Pages, float64(s.Bytes)/1024, s.Retries, s.ValidRecords, s.InvalidRecords, s.Errors,
		x.Duration(time.Now()).Round(time.Millisecond))
}

func export(ctx context.Context, eng *engine.Engine, id, path string) error {
	f, err := titan.FormatOf(path)
	if err != nil {
		return err
	}
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := eng.Export(ctx, id, file, f); err != nil {
		file.Close()
		return err
	}
	if err := file.Close(); err != nil {
		return err
	}
	fmt.Printf("  records written to %s\n", path)
	return nil
}

// withRootSelector sets the x-selector of a schema's root, so each match is a record.
func withRootSelector(raw []byte, sel string) []byte {
	return []byte(fmt.Sprintf(`{"x-selector":%q,%s`, sel, strings.TrimPrefix(strings.TrimSpace(string(raw)), "{")))
}
