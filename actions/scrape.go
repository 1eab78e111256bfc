package actions

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/page"
)

// The page formats a scrape can return besides schema records, in params.formats.
const (
	FormatHTML     = "html"
	FormatText     = "text"
	FormatMarkdown = "markdown"
	FormatLinks    = "links"
	FormatMetadata = "metadata"
)

var allFormats = []string{FormatHTML, FormatText, FormatMarkdown, FormatLinks, FormatMetadata}

// defaultFormats are returned by a scrape without an output schema that names none.
var defaultFormats = []string{FormatMarkdown, FormatMetadata}

// ScrapeParams are the params of a scrape step.
type ScrapeParams struct {
	// Formats lists the page formats to return with each page: html, text, markdown,
	// links, metadata. Without an output schema the default is markdown and metadata.
	Formats []string `json:"formats,omitempty"`
}

// Scrape fetches each input URL, parses the page once, extracts records with the
// step's output schema and adds the page formats asked for.
//
// With a schema that has selectors, each page yields the records the schema
// extracts (one per page, or one per match of the root x-selector; a root selector
// matching nothing is an error wrapping titan.ErrNoMatch); the page formats, if any,
// ride on each record's Page. Without one, each page yields one record whose Data is
// empty and whose Page holds the formats.
type Scrape struct{}

// ValidateStep checks the scrape's params.
func (Scrape) ValidateStep(s *titan.Step) []titan.FieldError {
	_, problems := scrapeParams(s.Params)
	return problems
}

func scrapeParams(raw map[string]any) (ScrapeParams, []titan.FieldError) {
	var p ScrapeParams
	var problems []titan.FieldError
	for k := range raw {
		if k != "formats" {
			problems = append(problems, titan.FieldError{Field: "params." + k, Problem: "unknown scrape param (known: formats)"})
		}
	}
	if f, ok := raw["formats"]; ok {
		list, ok := f.([]any)
		if s, isStrings := f.([]string); isStrings {
			list, ok = make([]any, len(s)), true
			for i, v := range s {
				list[i] = v
			}
		}
		if !ok {
			return p, append(problems, titan.FieldError{Field: "params.formats", Problem: "must be a list of format names"})
		}
		for i, v := range list {
			name, _ := v.(string)
			if !slices.Contains(allFormats, name) {
				problems = append(problems, titan.FieldError{
					Field:   fmt.Sprintf("params.formats[%d]", i),
					Problem: fmt.Sprintf("unknown format %v (known: %s)", v, strings.Join(allFormats, ", ")),
				})
				continue
			}
			p.Formats = append(p.Formats, name)
		}
	}
	return p, problems
}

// Prepare decodes the scrape's params once for an execution.
func (Scrape) Prepare(_ *titan.Task, s *titan.Step) (titan.Action, error) {
	params, problems := scrapeParams(s.Params)
	if len(problems) > 0 {
		return nil, &titan.ValidationError{What: "scrape params", Problems: problems}
	}
	return scraper{params}, nil
}

// Run scrapes in.Item.URL; the runner calls the action Prepare returns instead.
func (sc Scrape) Run(ctx context.Context, in *titan.Input, out titan.Emitter) error {
	a, err := sc.Prepare(in.Task, in.Step)
	if err != nil {
		return err
	}
	return a.Run(ctx, in, out)
}

// scraper is a Scrape prepared for one execution.
type scraper struct{ params ScrapeParams }

func (sc scraper) Run(ctx context.Context, in *titan.Input, out titan.Emitter) error {
	params := sc.params
	extract := in.Schema != nil && in.Schema.Extracts()
	if params.Formats == nil && !extract {
		params.Formats = defaultFormats
	}
	if titan.CheckURL(in.Item.URL) != nil {
		return &titan.InputError{Input: in.Item.URL, Problem: "not an absolute http(s) URL"}
	}
	resp, err := in.Fetcher.Fetch(ctx, &titan.Request{URL: in.Item.URL})
	if err != nil {
		return err
	}
	if !isHTML(resp) {
		return &titan.InputError{Input: resp.URL, Problem: fmt.Sprintf("content type %q is not HTML", resp.ContentType)}
	}
	doc, err := html.Parse(bytes.NewReader(resp.Body))
	if err != nil {
		return fmt.Errorf("scrape %s: parse HTML: %w", resp.URL, err)
	}
	pageURL, err := url.Parse(resp.URL)
	if err != nil {
		return &titan.InputError{Input: resp.URL, Problem: "final URL does not parse"}
	}
	content, err := formats(doc, pageURL, resp.Body, params.Formats)
	if err != nil {
		return fmt.Errorf("scrape %s: %w", resp.URL, err)
	}
	out.Fetched()
	if !extract {
		return out.Emit(ctx, titan.Record{URL: resp.URL, Page: content})
	}
	items := in.Schema.Extract(doc, pageURL)
	if len(items) == 0 {
		return fmt.Errorf("scrape %s: %w", resp.URL, titan.ErrNoMatch)
	}
	for _, it := range items {
		if err := out.Emit(ctx, titan.Record{URL: resp.URL, Data: it.Data, Errors: it.Errors, Page: content}); err != nil {
			return err
		}
	}
	return nil
}

func isHTML(r *titan.Response) bool {
	switch r.ContentType {
	case "text/html", "application/xhtml+xml":
		return true
	case "", "application/octet-stream", "text/plain":
		mt, _, _ := mime.ParseMediaType(http.DetectContentType(r.Body))
		return mt == "text/html"
	}
	return false
}

// formats computes the page formats in names, or returns nil when there are none.
func formats(doc *html.Node, pageURL *url.URL, body []byte, names []string) (*titan.PageContent, error) {
	if len(names) == 0 {
		return nil, nil
	}
	var c titan.PageContent
	for _, f := range names {
		switch f {
		case FormatHTML:
			c.HTML = string(body)
		case FormatText:
			c.Text = page.Text(doc)
		case FormatMarkdown:
			md, err := page.Markdown(doc, pageURL)
			if err != nil {
				return nil, fmt.Errorf("markdown: %w", err)
			}
			c.Markdown = md
		case FormatLinks:
			c.Links, c.LinksSkipped = page.Links(doc, pageURL)
			if c.Links == nil {
				c.Links = []page.Link{}
			}
		case FormatMetadata:
			m := page.ExtractMetadata(doc, pageURL)
			c.Metadata = &m
		}
	}
	return &c, nil
}
