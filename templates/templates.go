// Package templates keeps task templates: named, versioned task patterns with
// typed parameters (see titan.Template). A Registry holds them by ID and slug;
// Builtins returns the patterns most tasks start from.
package templates

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/titanscrape/titan"
)

// ErrNotFound reports a template reference that matches no template.
var ErrNotFound = errors.New("templates: no such template")

// Registry holds templates, every version of each. It is safe for concurrent use.
type Registry struct {
	mu     sync.RWMutex
	byID   map[string][]*titan.Template // versions, ascending
	bySlug map[string]string            // slug → ID
}

// New returns a registry holding ts.
func New(ts ...*titan.Template) (*Registry, error) {
	r := &Registry{byID: make(map[string][]*titan.Template), bySlug: make(map[string]string)}
	for _, t := range ts {
		if err := r.Add(t); err != nil {
			return nil, err
		}
	}
	return r, nil
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Add checks t and adds it as a new version. Its version must be greater than the
// registered ones, its slug must not belong to another template, and its skeleton
// must instantiate with its defaults (parameters without a default get a
// placeholder value of their type).
func (r *Registry) Add(t *titan.Template) error {
	var problems []titan.FieldError
	add := func(field, format string, args ...any) {
		problems = append(problems, titan.FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	if t.ID == "" {
		add("id", "is required")
	}
	if !slugRE.MatchString(t.Slug) {
		add("slug", "%q: use lowercase letters, digits and single dashes", t.Slug)
	}
	if t.Version < 1 {
		add("version", "must be at least 1")
	}
	sample := map[string]any{}
	for i, p := range t.Parameters {
		path := fmt.Sprintf("parameters[%d]", i)
		if p.Name == "" {
			add(path+".name", "is required")
		}
		if slices.ContainsFunc(t.Parameters[:i], func(q titan.TemplateParam) bool { return q.Name == p.Name }) {
			add(path+".name", "%q is declared twice", p.Name)
		}
		v, ok := sampleValue(p.Type)
		if !ok {
			add(path+".type", "unknown parameter type %q", p.Type)
		} else if p.Default != nil {
			if _, err := p.Coerce(p.Default); err != nil {
				add(path+".default", "%v", err)
			}
		}
		if p.Default == nil {
			sample[p.Name] = v
		}
	}
	if len(problems) == 0 { // the parameters are sound: check the skeleton
		task, err := t.Instantiate(sample)
		if err == nil {
			err = task.Validate()
		}
		var ve *titan.ValidationError
		switch {
		case errors.As(err, &ve):
			for _, p := range ve.Problems {
				add("task."+p.Field, "%s", p.Problem)
			}
		case err != nil:
			add("task", "%v", err)
		}
	}
	if len(problems) > 0 {
		return &titan.ValidationError{What: "template " + strconv.Quote(t.Slug), Problems: problems}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if id, ok := r.bySlug[t.Slug]; ok && id != t.ID {
		return fmt.Errorf("templates: slug %q belongs to template %s", t.Slug, id)
	}
	versions := r.byID[t.ID]
	if n := len(versions); n > 0 && versions[n-1].Version >= t.Version {
		return fmt.Errorf("templates: template %s already has version %d", t.ID, versions[n-1].Version)
	}
	r.byID[t.ID] = append(versions, clone(t))
	r.bySlug[t.Slug] = t.ID
	return nil
}

// clone returns a deep copy of t: parameters, defaults and skeleton.
func clone(t *titan.Template) *titan.Template {
	c := *t
	c.Task = slices.Clone(t.Task)
	c.Parameters = slices.Clone(t.Parameters)
	for i, p := range c.Parameters {
		if p.Default != nil { // JSON values: a round trip copies them deeply
			if b, err := json.Marshal(p.Default); err == nil {
				var v any
				if json.Unmarshal(b, &v) == nil {
					c.Parameters[i].Default = v
				}
			}
		}
	}
	return &c
}

// sampleValue returns a value of type t for checking a skeleton.
func sampleValue(t titan.ParamType) (any, bool) {
	switch t {
	case titan.ParamString:
		return "sample", true
	case titan.ParamInteger, titan.ParamNumber:
		return 1.0, true
	case titan.ParamBoolean:
		return true, true
	case titan.ParamURL:
		return "https://example.com/", true
	case titan.ParamURLList:
		return []any{"https://example.com/"}, true
	case titan.ParamList:
		return []any{"sample"}, true
	case titan.ParamObject:
		return map[string]any{"type": "object"}, true
	}
	return nil, false
}

// Get returns a template by ID or slug, at its latest version, or at a given
// version with "ref@N". A copy: changing it does not change the registry.
func (r *Registry) Get(ref string) (*titan.Template, error) {
	name, version := ref, 0
	if i := strings.LastIndexByte(ref, '@'); i > 0 {
		n, err := strconv.Atoi(ref[i+1:])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("templates: %q: the version after @ must be a positive number", ref)
		}
		name, version = ref[:i], n
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	id := name
	if sid, ok := r.bySlug[name]; ok {
		id = sid
	}
	versions := r.byID[id]
	for i := len(versions) - 1; i >= 0; i-- {
		if version == 0 || versions[i].Version == version {
			return clone(versions[i]), nil
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrNotFound, ref)
}

// List returns the latest version of every template, sorted by slug.
func (r *Registry) List() []*titan.Template {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*titan.Template, 0, len(r.byID))
	for _, versions := range r.byID {
		out = append(out, clone(versions[len(versions)-1]))
	}
	slices.SortFunc(out, func(a, b *titan.Template) int { return strings.Compare(a.Slug, b.Slug) })
	return out
}
