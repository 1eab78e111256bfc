package memory

import (
	"reflect"
	"slices"

	"github.com/titanscrape/titan"
)

// copyRecord returns a copy of r that shares no mutable memory with it.
func copyRecord(r titan.Record) titan.Record {
	r.Data = copyMap(r.Data)
	r.Errors = slices.Clone(r.Errors)
	if r.Page != nil {
		r.Page = deepCopy(reflect.ValueOf(r.Page)).Interface().(*titan.PageContent)
	}
	return r
}

// copyMap deeply copies a map of JSON-like values; see copyValue.
func copyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = copyValue(v)
	}
	return c
}

// copyValue deeply copies v. The shapes encoding/json decodes into (maps of
// string to any, slices of any, and scalars) take a fast path; other maps,
// slices, arrays, pointers and structs are copied by reflection. v must be
// acyclic.
func copyValue(v any) any {
	switch v := v.(type) {
	case nil, string, bool, float64, int, int64:
		return v
	case map[string]any:
		return copyMap(v)
	case []any:
		if v == nil {
			return v
		}
		c := make([]any, len(v))
		for i, x := range v {
			c[i] = copyValue(x)
		}
		return c
	}
	return deepCopy(reflect.ValueOf(v)).Interface()
}

// deepCopy returns a copy of v that shares no map, slice or pointer with it.
// Unexported struct fields are copied as they are: a time.Time keeps its
// *time.Location, for instance. Channels and functions are shared.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			c.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return c
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			c.Index(i).Set(deepCopy(v.Index(i)))
		}
		return c
	case reflect.Array:
		c := reflect.New(v.Type()).Elem()
		for i := range v.Len() {
			c.Index(i).Set(deepCopy(v.Index(i)))
		}
		return c
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(deepCopy(v.Elem()))
		return c
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type()).Elem()
		c.Set(deepCopy(v.Elem()))
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		for i := range v.NumField() {
			if f := c.Field(i); f.CanSet() {
				f.Set(deepCopy(v.Field(i)))
			}
		}
		return c
	}
	return v
}
