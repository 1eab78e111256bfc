// Package schema turns a JSON Schema (a task's output_schema) into a compiled
// extractor and validator, derives such schemas from Go structs, and decodes
// records into them.
//
// A schema is compiled once with [Compile]; the result is immutable and safe
// for concurrent use. [Schema.Extract] runs it on a page parsed with
// golang.org/x/net/html and returns one [Item] per record, each validated;
// [Schema.Validate] checks records that come from elsewhere. [For] derives a
// schema from a struct, [Decode] fills the struct from a record.
//
// # Example
//
//	{
//	  "type": "object",
//	  "x-selector": "li.product",
//	  "required": ["name", "price"],
//	  "properties": {
//	    "name":  {"type": "string",  "x-selector": "h2", "x-transform": "trim"},
//	    "price": {"type": "number",  "x-selector": ".price", "minimum": 0},
//	    "image": {"type": "string",  "x-selector": "img@src", "format": "media"},
//	    "sku":   {"type": "string",  "x-selector": "xpath:./@data-sku", "x-transform": "regex:SKU-(\\d+)"},
//	    "sizes": {"type": "array",   "x-selector": "ul.sizes li", "items": {"type": "string"}}
//	  }
//	}
//
// A struct that gives a similar schema with [For] (plus additionalProperties
// false, and required taken from omitempty); the tags hold the very same
// strings:
//
//	type Product struct {
//		Name  string   `json:"name" selector:"h2" transform:"trim"`
//		Price float64  `json:"price" selector:".price" jsonschema:"minimum=0"`
//		Image string   `json:"image,omitempty" selector:"img@src" jsonschema:"format=media"`
//		SKU   string   `json:"sku,omitempty" selector:"xpath:./@data-sku" transform:"regex:SKU-(\\d+)"`
//		Sizes []string `json:"sizes,omitempty" selector:"ul.sizes li"`
//	}
//
// # Selectors
//
// The keyword x-selector (struct tag selector) says where a property's value
// is on the page:
//
//   - "css:SELECTOR" or just "SELECTOR" is a CSS selector (cascadia). A
//     trailing "@name" takes that attribute instead of the text:
//     "img.main@src", `meta[property="og:price"]@content`. Elements without
//     the attribute do not match. "@name" alone reads the attribute of the
//     scope element itself (e.g. of each record). An "@" inside quotes or
//     brackets belongs to the selector.
//   - "xpath:EXPR" is an XPath 1.0 expression (antchfx/xpath). It may select
//     elements, text nodes or attributes ("//img/@src"), or compute a string,
//     number or boolean ("normalize-space(//h1)", "count(//li)"); an empty
//     string result counts as no match. Evaluation starts at the scope
//     element, which is also the root for "/" and "//", so "//h2" inside a
//     record only searches that record. Results of a union ("a | b") are put
//     back into document order.
//
// A selector only searches below its scope, never the scope element itself.
// Selectors are compiled by Compile; one that does not compile is a
// [CompileError] naming its location, e.g. "properties.price.x-selector".
//
// # Scoping
//
//   - Without a root x-selector the whole page is one record. With one, each
//     element it matches is a record and property selectors are relative to
//     it (a listing page gives many records; no match gives none).
//   - An object property with x-selector scopes its properties to the first
//     match. An object without x-selector groups properties found in the
//     enclosing scope; it is absent when none of them is found.
//   - An array property: each match of its x-selector (or, when the array
//     has none, of its items' x-selector) is one element. Object items read
//     their properties relative to the match; scalar items are the match's
//     text (or attribute), or, when the items have their own x-selector as
//     well, the first match of that selector inside it.
//   - A scalar property takes the first match.
//   - A property without x-selector is not extracted, which suits data that
//     comes from an API rather than the page.
//
// A property whose element is missing is absent from the record, so a
// required property reports "is required". An array without matches is [].
//
// Extraction follows properties, items, local $ref (including $defs and
// definitions) and, for a schema without type, properties or items, its
// first anyOf/oneOf branch that is not {"type": "null"}. An x-selector
// anywhere else (allOf, if/then, patternProperties) is not used. A $ref
// cycle is a compile error when the schema extracts, since the extractor
// would never end.
//
// # Text and transforms
//
// The text of an element is its text content with script, style and
// template descendants skipped, block elements and <br> separating words,
// white space collapsed to single spaces and trimmed. Attribute values are
// collapsed and trimmed too.
//
// The keyword x-transform (struct tag transform) then applies steps
// separated by ";" (write "\;" for a literal semicolon), in order:
//
//   - trim, lower, upper
//   - regex:PATTERN: the first capture group, or the whole match if the
//     pattern has no group; no match is a field error
//   - replace:OLD=>NEW: replaces every OLD (non-empty) with NEW
//
// Each step is trimmed; the argument of regex: and replace: is otherwise
// taken verbatim. On an array of scalars the array's transforms run on every
// element, before the items' own.
//
// # Coercion
//
// The text is then converted to the property's type. A type list such as
// ["number", "null"] uses its first non-null type; without a type, a schema
// with properties is an object, one with items an array, anything else a
// string. Values in Item.Data are string, float64 (number), int64 (integer),
// bool, []any and map[string]any.
//
// number: the first number in the text. Currency signs, units and words
// around it are ignored ("$1,234.56", "1.234,56 €", "€12", "4.6 out of 5").
// A '-' or '−' right before it (currency signs may sit in between, "-$3.50")
// makes it negative if the sign starts the text or follows a space, '(' or a
// currency sign ("SKU-123" is 123). Digit groups of three may be separated by a space (also no-break and
// thin spaces) or an apostrophe: "1 234,56", "1'234.50". Then:
//
//   - both '.' and ',' present: the last one is the decimal separator, the
//     other separates thousands ("1,234.56" and "1.234,56" are 1234.56);
//   - the same separator more than once: thousands ("1,234,567", "1.234.567");
//   - one ',' followed by exactly three digits, after one to three digits
//     other than "0": thousands ("1,234" is 1234); otherwise decimal
//     ("12,5" is 12.5, "0,125" is 0.125);
//   - one '.' is decimal ("1.234" is 1.234), except for integers;
//   - after space grouping, a single '.' or ',' is decimal ("1 234,56").
//
// Thousands groups other than the first must have three digits; anything
// else ("1,23,45") is a field error, as is text with no digit.
//
// integer: the same rules, except that a single '.' followed by exactly
// three digits also separates thousands ("1.234" is 1234), and the result
// must be whole: "12 items" is 12, "12.00" is 12, "12.5" is a field error.
//
// boolean, case-insensitively: true/false, yes/no, 1/0, on/off,
// "in stock"/"out of stock", instock/outofstock, available/unavailable,
// "sold out"/soldout, and schema.org availability URLs such as
// "https://schema.org/InStock". Anything else is a field error.
//
// string with format "date" becomes "2006-01-02", with "date-time" RFC 3339.
// Accepted inputs: RFC 3339, "2006-01-02", "2006-01-02 15:04[:05]",
// "2006/01/02", "2.1.2006" (day first, dots), "January 2, 2006",
// "Jan 2, 2006", "2 January 2006", "2 Jan 2006", with or without weekday,
// RFC 1123, and "January 2, 2006 3:04 PM". Ordinals ("March 5th") and
// abbreviation dots ("Mar.") are dropped. A time without zone is UTC.
// Slash dates such as 02/01/2006 are ambiguous and rejected.
//
// string with format "uri", "uri-reference", "iri", "iri-reference" or
// "media" is resolved against the page URL, or the page's <base href>, into
// an absolute URL. "media" marks an image, video or file to download.
//
// A coercion failure is a [FieldError] on the field's path ("price",
// "variants[2].price"); the field is left out and the record kept.
//
// # Validation
//
// The schema is compiled by santhosh-tekuri/jsonschema (draft 2020-12 unless
// "$schema" says otherwise; unknown x- keywords are accepted; formats are
// asserted, "media" accepting any string). Only references inside the schema
// are followed: a remote or file $ref is a compile error. Every extracted
// record is validated; problems become FieldErrors with the instance path
// ("" for the record itself), after the coercion errors. A field that failed
// coercion is not reported again as missing. Invalid records are returned,
// never dropped.
//
// # Structs
//
// [For] reflects a struct with invopop/jsonschema: everything inlined, field
// order kept, required = fields without omitempty, additionalProperties
// false, jsonschema tags as invopop reads them, selector and transform tags
// copied into x-selector and x-transform. [Decode] converts a record back.
package schema
