// Package actions holds titan's built-in actions. A Runner registers them by default;
// Builtins returns a fresh registry for runners of one's own.
package actions

import "github.com/titanscrape/titan"

// Builtins returns a new registry of the built-in actions, keyed by type.
func Builtins() map[titan.ActionType]titan.Action {
	return map[titan.ActionType]titan.Action{
		titan.ActionScrape:  Scrape{},
		titan.ActionCrawl:   Crawl{},
		titan.ActionAPICall: APICall{},
		titan.ActionSearch:  Search{},
	}
}
