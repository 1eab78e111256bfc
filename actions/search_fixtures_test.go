package actions_test

// Responses in the shapes the providers document and serve, trimmed to a few
// results.

const searxngPage1 = `{
  "query": "golang generics",
  "number_of_results": 0,
  "results": [
    {"url": "https://go.dev/doc/tutorial/generics", "title": "Tutorial: Getting started with generics - The Go Programming Language",
     "content": "This tutorial introduces the basics of generics in Go. With generics, you can declare and use functions or types that are written to work with any of a set of types provided by calling code.",
     "publishedDate": null, "thumbnail": "", "engine": "duckduckgo", "template": "default.html",
     "parsed_url": ["https", "go.dev", "/doc/tutorial/generics", "", "", ""], "img_src": "", "priority": "",
     "engines": ["duckduckgo", "brave", "google"], "positions": [1, 1, 2], "score": 9.0, "category": "general"},
    {"url": "https://pkg.go.dev/golang.org/x/exp/constraints", "title": "constraints package - golang.org/x/exp/constraints - Go Packages",
     "content": "Package constraints defines a set of useful constraints to be used with type parameters.",
     "publishedDate": null, "engine": "google", "template": "default.html",
     "parsed_url": ["https", "pkg.go.dev", "/golang.org/x/exp/constraints", "", "", ""],
     "engines": ["google"], "positions": [3], "score": 0.33, "category": "general"},
    {"url": "https://stackoverflow.com/questions/71274361/go-generics-constraints", "title": "Go generics: type constraint for any number type - Stack Overflow",
     "content": "I want to write a function that works for any numeric type ...",
     "publishedDate": "2022-02-26T00:00:00", "engine": "brave", "template": "default.html",
     "parsed_url": ["https", "stackoverflow.com", "/questions/71274361/go-generics-constraints", "", "", ""],
     "engines": ["brave"], "positions": [4], "score": 0.25, "category": "general"},
    {"url": "https://gist.github.com/ann/5b1c0d", "title": "generics.go · GitHub",
     "content": "Examples of Go generics.", "publishedDate": null, "engine": "duckduckgo", "template": "default.html",
     "parsed_url": ["https", "gist.github.com", "/ann/5b1c0d", "", "", ""],
     "engines": ["duckduckgo"], "positions": [5], "score": 0.2, "category": "general"},
    {"url": "https://github.com/golang/go/issues/43651", "title": "spec: generics: type parameters · Issue #43651 · golang/go",
     "content": "This is the proposal for adding generics to Go.", "publishedDate": null, "engine": "google", "template": "default.html",
     "parsed_url": ["https", "github.com", "/golang/go/issues/43651", "", "", ""],
     "engines": ["google"], "positions": [6], "score": 0.16, "category": "general"},
    {"url": "https://go.dev/doc/tutorial/generics", "title": "Tutorial: Getting started with generics",
     "content": "Duplicate from another engine.", "publishedDate": null, "engine": "bing", "template": "default.html",
     "parsed_url": ["https", "go.dev", "/doc/tutorial/generics", "", "", ""],
     "engines": ["bing"], "positions": [7], "score": 0.1, "category": "general"}
  ],
  "answers": [],
  "corrections": [],
  "infoboxes": [],
  "suggestions": ["golang generics constraints", "golang generics tutorial"],
  "unresponsive_engines": [["wikidata", "timeout"]]
}`

const searxngEmpty = `{"query": "golang generics", "number_of_results": 0, "results": [], "answers": [], "corrections": [],
  "infoboxes": [], "suggestions": [], "unresponsive_engines": []}`

const braveResponse = `{
  "query": {"original": "golang generics", "show_strict_warning": false, "is_navigational": false, "is_news_breaking": false,
    "spellcheck_off": true, "country": "de", "bad_results": false, "should_fallback": false, "postal_code": "", "city": "",
    "header_country": "", "more_results_available": true, "state": ""},
  "mixed": {"type": "mixed", "main": [{"type": "web", "index": 0, "all": false}, {"type": "web", "index": 1, "all": false}], "top": [], "side": []},
  "type": "search",
  "web": {
    "type": "search",
    "results": [
      {"title": "Tutorial: Getting started with <strong>generics</strong> - The <strong>Go</strong> Programming Language",
       "url": "https://go.dev/doc/tutorial/generics", "is_source_local": false, "is_source_both": false,
       "description": "This tutorial introduces the basics of <strong>generics</strong> in <strong>Go</strong>. With <strong>generics</strong>, you can declare and use functions or types that are written to work with any of a set of types.",
       "page_age": "2023-08-09T00:00:00",
       "profile": {"name": "Go", "url": "https://go.dev/doc/tutorial/generics", "long_name": "go.dev", "img": "https://imgs.search.brave.com/abc/favicon.png"},
       "language": "en", "family_friendly": true, "type": "search_result", "subtype": "generic", "is_live": false,
       "meta_url": {"scheme": "https", "netloc": "go.dev", "hostname": "go.dev", "favicon": "https://imgs.search.brave.com/abc/favicon.png", "path": "› doc  › tutorial  › generics"},
       "age": "August 9, 2023"},
      {"title": "An Introduction To <strong>Generics</strong> - The <strong>Go</strong> Programming Language",
       "url": "https://go.dev/blog/intro-generics", "is_source_local": false, "is_source_both": false,
       "description": "Ian Lance Taylor and Robert Griesemer &mdash; 22 March 2022. The <strong>Go</strong> 1.18 release adds support for <strong>generics</strong> &amp; type parameters.",
       "page_age": "2022-03-22T00:00:00",
       "profile": {"name": "Go", "url": "https://go.dev/blog/intro-generics", "long_name": "go.dev", "img": "https://imgs.search.brave.com/abc/favicon.png"},
       "language": "en", "family_friendly": true, "type": "search_result", "subtype": "article", "is_live": false,
       "meta_url": {"scheme": "https", "netloc": "go.dev", "hostname": "go.dev", "favicon": "https://imgs.search.brave.com/abc/favicon.png", "path": "› blog  › intro-generics"},
       "age": "March 22, 2022"}
    ],
    "family_friendly": true
  }
}`

const bingResponse = `{
  "_type": "SearchResponse",
  "queryContext": {"originalQuery": "golang generics"},
  "webPages": {
    "webSearchUrl": "https://www.bing.com/search?q=golang+generics",
    "totalEstimatedMatches": 2,
    "value": [
      {"id": "https://api.bing.microsoft.com/api/v7/#WebPages.0", "name": "Tutorial: Getting started with generics - The Go Programming Language",
       "url": "https://go.dev/doc/tutorial/generics", "isFamilyFriendly": true, "displayUrl": "https://go.dev/doc/tutorial/generics",
       "snippet": "This tutorial introduces the basics of generics in Go.", "dateLastCrawled": "2024-05-01T12:00:00.0000000Z",
       "language": "en", "isNavigational": false},
      {"id": "https://api.bing.microsoft.com/api/v7/#WebPages.1", "name": "Go 1.18 is released! - The Go Programming Language",
       "url": "https://go.dev/blog/go1.18", "isFamilyFriendly": true, "displayUrl": "https://go.dev/blog/go1.18",
       "snippet": "Go 1.18 includes an implementation of generic features as described by the Type Parameters Proposal.",
       "dateLastCrawled": "2024-04-28T08:00:00.0000000Z", "language": "en", "isNavigational": false}
    ]
  },
  "rankingResponse": {"mainline": {"items": [
    {"answerType": "WebPages", "resultIndex": 0, "value": {"id": "https://api.bing.microsoft.com/api/v7/#WebPages.0"}},
    {"answerType": "WebPages", "resultIndex": 1, "value": {"id": "https://api.bing.microsoft.com/api/v7/#WebPages.1"}}
  ]}}
}`

// googleItem is one item of a Custom Search JSON API response.
const googleItem = `{"kind": "customsearch#result", "title": "Result %[1]d - Go", "htmlTitle": "Result %[1]d - <b>Go</b>",
  "link": "https://go.dev/r/%[1]d", "displayLink": "go.dev",
  "snippet": "Aug 9, 2023 ... Result %[1]d\nabout generics.", "htmlSnippet": "Aug 9, 2023 <b>...</b> Result %[1]d<br>\nabout <b>generics</b>.",
  "cacheId": "abc%[1]d", "formattedUrl": "https://go.dev/r/%[1]d", "htmlFormattedUrl": "https://go.dev/r/%[1]d",
  "pagemap": {"metatags": [{"og:title": "Result %[1]d", "viewport": "width=device-width, initial-scale=1"}]}}`

// googleResponse is the envelope around items; %[1]s is the items, %[2]s the
// queries.nextPage member or nothing.
const googleResponse = `{
  "kind": "customsearch#search",
  "url": {"type": "application/json", "template": "https://www.googleapis.com/customsearch/v1?q={searchTerms}&num={count?}&start={startIndex?}&lr={language?}&safe={safe?}&cx={cx?}&sort={sort?}&filter={filter?}&gl={gl?}&cr={cr?}&googlehost={googleHost?}&c2coff={disableCnTwTranslation?}&hq={hq?}&hl={hl?}&siteSearch={siteSearch?}&siteSearchFilter={siteSearchFilter?}&exactTerms={exactTerms?}&excludeTerms={excludeTerms?}&linkSite={linkSite?}&orTerms={orTerms?}&dateRestrict={dateRestrict?}&lowRange={lowRange?}&highRange={highRange?}&searchType={searchType}&fileType={fileType?}&rights={rights?}&imgSize={imgSize?}&imgType={imgType?}&imgColorType={imgColorType?}&imgDominantColor={imgDominantColor?}&alt=json"},
  "queries": {
    "request": [{"title": "Google Custom Search - golang generics", "totalResults": "1230000", "searchTerms": "golang generics", "count": 10, "startIndex": 1, "inputEncoding": "utf8", "outputEncoding": "utf8", "safe": "off", "cx": "c4f1e2d3b"}]
    %[2]s
  },
  "context": {"title": "titan test engine"},
  "searchInformation": {"searchTime": 0.312, "formattedSearchTime": "0.31", "totalResults": "1230000", "formattedTotalResults": "1,230,000"},
  "items": [%[1]s]
}`

const googleNextPage = `, "nextPage": [{"title": "Google Custom Search - golang generics", "totalResults": "1230000", "searchTerms": "golang generics", "count": 10, "startIndex": 11, "inputEncoding": "utf8", "outputEncoding": "utf8", "safe": "off", "cx": "c4f1e2d3b"}]`

const googleKeyError = `{
  "error": {
    "code": 400,
    "message": "API key not valid. Please pass a valid API key.",
    "errors": [{"message": "API key not valid. Please pass a valid API key.", "domain": "global", "reason": "badRequest"}],
    "status": "INVALID_ARGUMENT",
    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com", "metadata": {"service": "customsearch.googleapis.com"}}]
  }
}`

const ddgPage = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
  <meta http-equiv="content-type" content="text/html; charset=UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=3.0, user-scalable=1" />
  <meta name="referrer" content="origin" />
  <title>golang generics at DuckDuckGo</title>
  <link title="DuckDuckGo (HTML)" type="application/opensearchdescription+xml" rel="search" href="//duckduckgo.com/opensearch_html_v2.xml" />
  <link rel="stylesheet" href="//duckduckgo.com/dist/h.9c2a1b0e.css" type="text/css">
</head>
<body class="body--html">
  <a name="top" id="top"></a>
  <form action="/html/" method="post">
    <input type="text" name="state_hidden" id="state_hidden" />
  </form>
  <div>
    <div class="site-wrapper-border"></div>
    <div id="header" class="header cw header--html">
      <a title="DuckDuckGo" href="/html/" class="header__logo-wrap"></a>
      <form name="x" class="header__form" action="/html/" method="post">
        <div class="search search--header">
          <input name="q" autocomplete="off" class="search__input" id="search_form_input_homepage" type="text" value="golang generics" />
          <input name="b" id="search_button_homepage" class="search__button search__button--html" value="" title="Search" alt="Search" type="submit" />
        </div>
        <div class="frm__select"><select class="" name="kl"><option value="" >All Regions</option><option value="de-de" >Germany</option></select></div>
        <div class="frm__select frm__select--last"><select class="" name="df"><option value="" selected>Any Time</option><option value="d" >Past Day</option></select></div>
      </form>
    </div>
    <div class="filters">
      <div class="serp__results">
        <div id="links" class="results">
          <div class="result results_links results_links_deep result--ad  result--ad--small">
            <div class="links_main links_deep result__body">
              <h2 class="result__title">
                <a rel="nofollow" class="result__a" href="https://duckduckgo.com/y.js?ad_domain=learn-go.example&amp;ad_provider=bingv7aa&amp;ad_type=txad&amp;rut=9d1f">Learn Go in 30 Days - Online Course</a>
              </h2>
              <a class="result__snippet" href="https://duckduckgo.com/y.js?ad_domain=learn-go.example&amp;ad_provider=bingv7aa">Master <b>Go</b> generics fast.</a>
            </div>
          </div>
          <div class="result results_links results_links_deep web-result ">
            <div class="links_main links_deep result__body">
              <h2 class="result__title">
                <a rel="nofollow" class="result__a" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fgo.dev%2Fdoc%2Ftutorial%2Fgenerics&amp;rut=6f0c2a9e1b">Tutorial: Getting started with generics - The Go Programming Language</a>
              </h2>
              <div class="result__extras">
                <div class="result__extras__url">
                  <span class="result__icon"><a rel="nofollow" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fgo.dev%2Fdoc%2Ftutorial%2Fgenerics&amp;rut=6f0c2a9e1b"><img class="result__icon__img" width="16" height="16" alt="" src="//external-content.duckduckgo.com/ip3/go.dev.ico" name="i15" /></a></span>
                  <a class="result__url" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fgo.dev%2Fdoc%2Ftutorial%2Fgenerics&amp;rut=6f0c2a9e1b">go.dev/doc/tutorial/generics</a>
                </div>
              </div>
              <a class="result__snippet" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fgo.dev%2Fdoc%2Ftutorial%2Fgenerics&amp;rut=6f0c2a9e1b">This tutorial introduces the basics of <b>generics</b> in <b>Go</b>.
                With <b>generics</b>, you can declare and use functions or types that are written to work with any of a set of types.</a>
              <div class="clear"></div>
            </div>
          </div>
          <div class="result results_links results_links_deep web-result ">
            <div class="links_main links_deep result__body">
              <h2 class="result__title">
                <a rel="nofollow" class="result__a" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fpkg.go.dev%2Fgolang.org%2Fx%2Fexp%2Fconstraints%3Ftab%3Ddoc%23section%2Dreadme&amp;rut=1c2d3e">constraints package - golang.org/x/exp/constraints - Go Packages</a>
              </h2>
              <a class="result__snippet" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fpkg.go.dev%2Fgolang.org%2Fx%2Fexp%2Fconstraints%3Ftab%3Ddoc&amp;rut=1c2d3e">Package <b>constraints</b> defines a set of useful constraints to be used with type parameters.</a>
              <div class="clear"></div>
            </div>
          </div>
          <div class="result results_links results_links_deep web-result ">
            <div class="links_main links_deep result__body">
              <h2 class="result__title">
                <a rel="nofollow" class="result__a" href="https://www.reddit.com/r/golang/comments/t3c1a2/generics_in_practice/">Generics in practice : r/golang</a>
              </h2>
              <a class="result__snippet" href="https://www.reddit.com/r/golang/comments/t3c1a2/generics_in_practice/">How are you using <b>generics</b> &amp; type sets?</a>
              <div class="clear"></div>
            </div>
          </div>
          <div class="nav-link">
            <form action="/html/" method="post">
              <input type="submit" class='btn btn--alt' value="Next" />
              <input type="hidden" name="q" value="golang generics" />
              <input type="hidden" name="s" value="10" />
              <input type="hidden" name="nextParams" value="" />
              <input type="hidden" name="v" value="l" />
              <input type="hidden" name="o" value="json" />
              <input type="hidden" name="dc" value="11" />
              <input type="hidden" name="api" value="d.js" />
              <input type="hidden" name="vqd" value="4-170522791234567890123456789012345678" />
            </form>
          </div>
          <div class=" feedback-btn">
            <a rel="nofollow" href="//duckduckgo.com/feedback.html" target="_new">Feedback</a>
          </div>
          <div class="clear"></div>
        </div>
      </div>
    </div>
  </div>
</body>
</html>`

const ddgNoResults = `<!DOCTYPE html><html><head><title>zqxjkvbw at DuckDuckGo</title></head><body class="body--html">
<div class="serp__results"><div id="links" class="results">
  <div class="result results_links results_links_deep web-result result--no-result">
    <div class="links_main links_deep result__body">
      <h2 class="result__title"></h2>
      <div class="no-results">No results.</div>
      <div class="result__extras"></div>
    </div>
  </div>
</div></div></body></html>`

const ddgChallenge = `<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"><title>DuckDuckGo</title></head>
<body><div class="anomaly-modal__modal" data-testid="anomaly-modal">
  <div class="anomaly-modal__title">Unfortunately, bots use DuckDuckGo too.</div>
  <div class="anomaly-modal__description">Please complete the following challenge to confirm this search was made by a human.</div>
  <form id="challenge-form" action="//duckduckgo.com/anomaly.js?sv=html&amp;cc=botnet&amp;ti=1717000000&amp;gk=d4cd0dabcf4caa22ad92fab40844c786&amp;p=abc" method="POST">
    <div class="anomaly-modal__puzzle"></div>
  </form>
</div></body></html>`
