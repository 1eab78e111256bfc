package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxDepth bounds the nesting of a schema document, so a hostile schema
// cannot exhaust the stack of the walkers that follow.
const maxDepth = 256

// object is a JSON object that remembers the order of its keys, which the
// standard library's map[string]any forgets. Columns and the order in which
// fields are extracted follow the declared order.
type object struct {
	keys []string
	vals map[string]any
}

// get returns the value of key, if present.
func (o *object) get(key string) (any, bool) {
	v, ok := o.vals[key]
	return v, ok
}

// parseOrdered decodes one JSON document. Objects become *object, numbers
// json.Number; everything else is as encoding/json decodes it into any.
func parseOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the top-level value")
	}
	return v, nil
}

func parseValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nested deeper than %d levels", maxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, errors.New("unexpected end of JSON input")
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &object{vals: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key %v is not a string", kt)
				}
				v, err := parseValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				if _, dup := o.vals[key]; !dup {
					o.keys = append(o.keys, key)
				}
				o.vals[key] = v
			}
			if _, err := dec.Token(); err != nil { // '}'
				return nil, err
			}
			return o, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := parseValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil { // ']'
				return nil, err
			}
			return arr, nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return tok, nil
	}
}

// plain converts an ordered tree into the map[string]any form that the
// validator expects.
func plain(v any) any {
	switch t := v.(type) {
	case *object:
		m := make(map[string]any, len(t.vals))
		for k, val := range t.vals {
			m[k] = plain(val)
		}
		return m
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			out[i] = plain(val)
		}
		return out
	default:
		return v
	}
}

// resolvePointer resolves a local JSON pointer such as "/$defs/price" in root.
// It returns the value and its location in dotted form.
func resolvePointer(root any, ptr string) (any, string, bool) {
	if ptr == "" {
		return root, "", true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, "", false
	}
	cur := root
	loc := ""
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch t := cur.(type) {
		case *object:
			v, ok := t.vals[tok]
			if !ok {
				return nil, "", false
			}
			cur = v
			loc = joinKey(loc, tok)
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(t) {
				return nil, "", false
			}
			cur = t[i]
			loc += "[" + tok + "]"
		default:
			return nil, "", false
		}
	}
	return cur, loc, true
}

// joinKey appends a key to a dotted location.
func joinKey(loc, key string) string {
	if loc == "" {
		return key
	}
	return loc + "." + key
}
