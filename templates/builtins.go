package templates

import (
	"encoding/json"

	"github.com/titanscrape/titan"
)

// Builtins returns the built-in templates, new copies on every call:
//
//   - crawl-extract: crawl a site from a start URL and extract records with a
//     schema from the pages that match extract_paths.
func Builtins() []*titan.Template {
	return []*titan.Template{crawlExtract()}
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
