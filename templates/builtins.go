package templates

import (
	"encoding/json"

	"github.com/titanscrape/titan"
)

// Builtins returns the built-in templates, new copies on every call:
//
//   - crawl-extract: crawl a site from a start URL and extract records with a
//     schema from the pages that match extract_paths.
//   - search-scrape: search the web, then scrape every result with a schema.
//   - api-detail: read a paginated JSON API whose records carry a "url", then
//     scrape each record's detail page with a schema.
func Builtins() []*titan.Template {
	return []*titan.Template{crawlExtract(), searchScrape(), apiDetail()}
}

// pageSchema is the default schema of a scraped result: its title and description.
var pageSchema = map[string]any{
	"type":     "object",
	"required": []any{"title"},
	"properties": map[string]any{
		"title":       map[string]any{"type": "string", "x-selector": "title"},
		"description": map[string]any{"type": "string", "x-selector": "meta[name=description]@content"},
	},
}

func searchScrape() *titan.Template {
	return &titan.Template{
		ID:          "tpl_search_scrape",
		Slug:        "search-scrape",
		Version:     1,
		Name:        "Search, then scrape the results",
		Description: "Runs a web search and extracts one record from each result page with the output schema.",
		Parameters: []titan.TemplateParam{
			{Name: "query", Type: titan.ParamString, Description: "what to search for"},
			{Name: "provider", Type: titan.ParamString, Description: "duckduckgo, brave, bing, google or searxng", Default: "duckduckgo"},
			{Name: "max_results", Type: titan.ParamInteger, Default: 10.0},
			{Name: "output_schema", Type: titan.ParamObject, Description: "the schema of one result page", Default: pageSchema},
		},
		Task: json.RawMessage(`{
			"name": "search {{query}}",
			"objective": "Read the pages a web search finds",
			"execution_plan": {"steps": [
				{"id": "search", "action_type": "search",
				 "params": {"query": "{{query}}", "provider": "{{provider}}"},
				 "limits": {"max_results": "{{max_results}}"}},
				{"id": "pages", "action_type": "scrape", "input_source": "previous_step", "from": ["search"],
				 "output_schema": "{{output_schema}}"}
			]}
		}`),
	}
}

func apiDetail() *titan.Template {
	return &titan.Template{
		ID:          "tpl_api_detail",
		Slug:        "api-detail",
		Version:     1,
		Name:        "Paginated API, then detail pages",
		Description: "Reads every page of a JSON API (page-number pagination) and scrapes the detail page each record's url field names.",
		Parameters: []titan.TemplateParam{
			{Name: "api_url", Type: titan.ParamURL, Description: "the list endpoint"},
			{Name: "records_path", Type: titan.ParamString, Description: "gjson path of the records in a response", Default: ""},
			{Name: "page_param", Type: titan.ParamString, Description: "the query parameter of the page number", Default: "page"},
			{Name: "max_pages", Type: titan.ParamInteger, Description: "API pages to read", Default: 10.0},
			{Name: "output_schema", Type: titan.ParamObject, Description: "the schema of one detail page"},
		},
		Task: json.RawMessage(`{
			"name": "api {{api_url}}",
			"objective": "Read an API's records and their detail pages",
			"execution_plan": {"steps": [
				{"id": "list", "action_type": "api_call",
				 "params": {"url": "{{api_url}}", "records_path": "{{records_path}}",
				            "pagination": {"type": "page", "param": "{{page_param}}"}},
				 "limits": {"max_pages": "{{max_pages}}"}},
				{"id": "detail", "action_type": "scrape", "input_source": "previous_step", "from": ["list"],
				 "output_schema": "{{output_schema}}"}
			]}
		}`),
	}
}

func crawlExtract() *titan.Template {
	return &titan.Template{
		ID:          "tpl_crawl_extract",
		Slug:        "crawl-extract",
		Version:     1,
		Name:        "Crawl a site and extract",
		Description: "Follows links from a start URL within the site and extracts one record per matching page with the output schema.",
		Parameters: []titan.TemplateParam{
			{Name: "start_url", Type: titan.ParamURL, Description: "where the crawl starts"},
			{Name: "output_schema", Type: titan.ParamObject, Description: "the schema of one record, with x-selector keywords"},
			{Name: "include_paths", Type: titan.ParamList, Description: "RE2 patterns on path+query of pages to follow", Default: []any{}},
			{Name: "extract_paths", Type: titan.ParamList, Description: "RE2 patterns on path+query of pages to extract from", Default: []any{}},
			{Name: "max_pages", Type: titan.ParamInteger, Default: 100.0},
			{Name: "max_depth", Type: titan.ParamInteger, Default: 3.0},
		},
		Task: json.RawMessage(`{
			"name": "crawl {{start_url}}",
			"objective": "Extract records from the pages of a site",
			"urls": ["{{start_url}}"],
			"action_type": "crawl",
			"params": {"include_paths": "{{include_paths}}", "extract_paths": "{{extract_paths}}"},
			"limits": {"max_pages": "{{max_pages}}", "max_depth": "{{max_depth}}"},
			"output_schema": "{{output_schema}}"
		}`),
	}
}
