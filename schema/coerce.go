package schema

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// coerce turns extracted page text into the JSON type of n. The text has
// already been whitespace-collapsed and transformed.
func coerce(n *node, text string, base *url.URL) (any, error) {
	switch n.kind {
	case kindNumber:
		return parseNumber(text)
	case kindInteger:
		return parseInteger(text)
	case kindBoolean:
		return parseBool(text)
	}
	switch n.format {
	case formatDate:
		t, err := parseTime(text)
		if err != nil {
			return nil, err
		}
		return t.Format(time.DateOnly), nil
	case formatDateTime:
		t, err := parseTime(text)
		if err != nil {
			return nil, err
		}
		return t.Format(time.RFC3339Nano), nil
	case formatURI:
		return resolveURL(text, base)
	}
	return text, nil
}

// parseNumber reads the first number in text, e.g. "$1,234.56" → 1234.56 or
// "1.234,56 €" → 1234.56. See the package documentation for the rules.
func parseNumber(text string) (float64, error) {
	neg, ip, fp, err := numberParts(text, false)
	if err != nil {
		return 0, err
	}
	s := ip
	if fp != "" {
		s += "." + fp
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a valid number", text)
	}
	if neg {
		f = -f
	}
	return f, nil
}

// parseInteger reads the first number in text as a whole number, e.g.
// "1,234" → 1234 or "12 items" → 12. "12.5" is an error; "12.00" is 12.
func parseInteger(text string) (int64, error) {
	neg, ip, fp, err := numberParts(text, true)
	if err != nil {
		return 0, err
	}
	if strings.Trim(fp, "0") != "" {
		return 0, fmt.Errorf("%q is not a whole number", text)
	}
	if neg {
		ip = "-" + ip
	}
	i, err := strconv.ParseInt(ip, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is out of the integer range", text)
	}
	return i, nil
}

// numberParts finds the first number in text and returns its sign, its
// integer digits and its fraction digits, with every separator removed.
func numberParts(text string, integer bool) (neg bool, intPart, frac string, err error) {
	start := strings.IndexAny(text, "0123456789")
	if start < 0 {
		return false, "", "", fmt.Errorf("no number in %q", text)
	}
	neg = signBefore(text, start)

	// Collect digits and '.' ',' separators; drop digit-group spaces.
	tok := make([]byte, 0, 16)
	spaced := false
	i := start
scan:
	for i < len(text) {
		c := text[i]
		switch {
		case c >= '0' && c <= '9':
			tok = append(tok, c)
			i++
		case c == '.' || c == ',':
			if i+1 < len(text) && isDigit(text[i+1]) {
				tok = append(tok, c)
				i++
				continue
			}
			break scan
		default:
			r, size := utf8.DecodeRuneInString(text[i:])
			if (unicode.IsSpace(r) || r == '\'' || r == '’') && groupOfThree(text, i+size) {
				spaced = true
				i += size
				continue
			}
			break scan
		}
	}
	tokS := string(tok)

	dots, commas := strings.Count(tokS, "."), strings.Count(tokS, ",")
	var dec byte // the decimal separator, 0 if none
	switch {
	case dots == 0 && commas == 0:
	case dots > 0 && commas > 0:
		dec = '.'
		if strings.LastIndexByte(tokS, ',') > strings.LastIndexByte(tokS, '.') {
			dec = ','
		}
		if strings.Count(tokS, string(dec)) > 1 {
			return false, "", "", fmt.Errorf("%q is an ambiguous number", text)
		}
	case spaced:
		if dots+commas > 1 {
			return false, "", "", fmt.Errorf("%q is an ambiguous number", text)
		}
		dec = '.'
		if commas == 1 {
			dec = ','
		}
	case dots+commas > 1:
		// "1,234,567" or "1.234.567": every separator groups thousands.
	default:
		sep := byte('.')
		if commas == 1 {
			sep = ','
		}
		before, after, _ := strings.Cut(tokS, string(sep))
		thousands := len(after) == 3 && len(before) <= 3 && before != "0" && (sep == ',' || integer)
		if !thousands {
			dec = sep
		}
	}

	whole := tokS
	if dec != 0 {
		k := strings.LastIndexByte(tokS, dec)
		whole, frac = tokS[:k], tokS[k+1:]
	}
	// What remains in whole are thousands separators: groups of three digits.
	groups := strings.FieldsFunc(whole, func(r rune) bool { return r == '.' || r == ',' })
	for gi, g := range groups {
		if gi > 0 && len(g) != 3 || gi == 0 && len(groups) > 1 && len(g) > 3 {
			return false, "", "", fmt.Errorf("%q is an ambiguous number", text)
		}
	}
	return neg, strings.Join(groups, ""), frac, nil
}

// signBefore reports whether the number starting at text[i] is negative: a
// '-' or '−' directly before it (currency symbols may sit in between, as in
// "-$3.50"), which is itself at the start or after a space, '(' or a
// currency symbol, so "SKU-123" is 123.
func signBefore(text string, i int) bool {
	k := i
	for k > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:k])
		if !unicode.Is(unicode.Sc, r) {
			break
		}
		k -= size
	}
	r, size := utf8.DecodeLastRuneInString(text[:k])
	if r != '-' && r != '−' {
		return false
	}
	k -= size
	if k == 0 {
		return true
	}
	p, _ := utf8.DecodeLastRuneInString(text[:k])
	return unicode.IsSpace(p) || p == '(' || unicode.Is(unicode.Sc, p)
}

// groupOfThree reports whether text[i:] starts with exactly three digits
// that are not followed by another digit or a letter ("1 234,56", "1 234 €";
// not "2 100g").
func groupOfThree(text string, i int) bool {
	if i+3 > len(text) || !isDigit(text[i]) || !isDigit(text[i+1]) || !isDigit(text[i+2]) {
		return false
	}
	if i+3 == len(text) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[i+3:])
	return !unicode.IsDigit(r) && !unicode.IsLetter(r)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// parseBool accepts, case-insensitively: true/false, yes/no, 1/0, on/off,
// "in stock"/"out of stock", "instock"/"outofstock", "available"/"unavailable",
// "sold out", and schema.org availability URLs such as
// "https://schema.org/InStock".
func parseBool(text string) (bool, error) {
	s := strings.ToLower(strings.TrimSpace(text))
	for _, p := range []string{"https://schema.org/", "http://schema.org/"} {
		s = strings.TrimPrefix(s, p)
	}
	switch s {
	case "true", "yes", "1", "on", "in stock", "instock", "available":
		return true, nil
	case "false", "no", "0", "off", "out of stock", "outofstock", "sold out", "soldout", "unavailable":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean", text)
}

// timeLayouts are tried in order by parseTime. Layouts without a zone are
// read as UTC. Month names match case-insensitively.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	time.DateOnly,
	"2006/01/02",
	"2.1.2006",
	time.RFC1123Z,
	time.RFC1123,
	"January 2, 2006",
	"January 2 2006",
	"Jan 2, 2006",
	"Jan 2 2006",
	"2 January 2006",
	"2 Jan 2006",
	"Monday, January 2, 2006",
	"Mon, January 2, 2006",
	"Mon, Jan 2, 2006",
	"Monday, 2 January 2006",
	"January 2, 2006 3:04 PM",
	"Jan 2, 2006 3:04 PM",
	"January 2, 2006 15:04",
	"Jan 2, 2006 15:04",
}

// parseTime reads a date or a date and time in one of timeLayouts, after
// dropping ordinal suffixes ("March 5th") and abbreviation dots ("Mar.").
func parseTime(text string) (time.Time, error) {
	s := normalizeDate(text)
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a recognised date", text)
}

func normalizeDate(text string) string {
	s := strings.TrimSpace(text)
	if s == "" || s[0] >= '0' && s[0] <= '9' && strings.IndexFunc(s, unicode.IsLetter) < 0 {
		return s // numeric forms need no clean-up
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		// "5th" → "5": a digit followed by st/nd/rd/th and then a non-letter.
		if isDigit(c) && i+3 <= len(s) {
			suf := strings.ToLower(s[i+1 : i+3])
			if (suf == "st" || suf == "nd" || suf == "rd" || suf == "th") &&
				(i+3 == len(s) || !isLetter(s[i+3])) {
				b.WriteByte(c)
				i += 2
				continue
			}
		}
		// "Mar." → "Mar"
		if c == '.' && i > 0 && isLetter(s[i-1]) {
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// resolveURL resolves ref against base (the page URL, or its <base href>).
// Without a base the reference is returned as is.
func resolveURL(ref string, base *url.URL) (string, error) {
	if ref == "" {
		return "", errors.New("empty URL")
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("%q is not a valid URL", ref)
	}
	if base == nil {
		return u.String(), nil
	}
	return base.ResolveReference(u).String(), nil
}
