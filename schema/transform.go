package schema

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// transformOp names one step of an x-transform chain.
type transformOp uint8

const (
	opTrim transformOp = iota
	opLower
	opUpper
	opRegex
	opReplace
)

// transform is one compiled step of an x-transform chain.
type transform struct {
	op       transformOp
	re       *regexp.Regexp
	old, new string
}

// compileTransforms parses an x-transform value: steps separated by ";"
// ("\;" is a literal semicolon inside a step). Each step is trimmed; the
// argument after "regex:" or "replace:" is otherwise taken verbatim. Empty
// steps are ignored. Every bad step is reported.
func compileTransforms(src string) ([]transform, []string) {
	var out []transform
	var problems []string
	for _, step := range splitSteps(src) {
		step = strings.TrimSpace(step)
		if step == "" {
			continue
		}
		t, err := compileTransform(step)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		out = append(out, t)
	}
	return out, problems
}

// splitSteps splits on ";" except where it is escaped as "\;".
func splitSteps(src string) []string {
	var steps []string
	var b strings.Builder
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '\\' && i+1 < len(src) && src[i+1] == ';':
			b.WriteByte(';')
			i++
		case src[i] == ';':
			steps = append(steps, b.String())
			b.Reset()
		default:
			b.WriteByte(src[i])
		}
	}
	return append(steps, b.String())
}

func compileTransform(step string) (transform, error) {
	name, arg, hasArg := strings.Cut(step, ":")
	name = strings.TrimSpace(name)
	switch name {
	case "trim", "lower", "upper":
		if hasArg {
			return transform{}, fmt.Errorf("transform %q takes no argument", name)
		}
		op := opTrim
		if name == "lower" {
			op = opLower
		} else if name == "upper" {
			op = opUpper
		}
		return transform{op: op}, nil
	case "regex":
		if arg == "" {
			return transform{}, errors.New("transform \"regex:\" needs a pattern")
		}
		re, err := regexp.Compile(arg)
		if err != nil {
			return transform{}, fmt.Errorf("transform %q: invalid regular expression: %v", step, err)
		}
		return transform{op: opRegex, re: re}, nil
	case "replace":
		old, repl, ok := strings.Cut(arg, "=>")
		if !ok || old == "" {
			return transform{}, fmt.Errorf("transform %q: want replace:OLD=>NEW with a non-empty OLD", step)
		}
		return transform{op: opReplace, old: old, new: repl}, nil
	default:
		return transform{}, fmt.Errorf("unknown transform %q (want trim, lower, upper, regex:PATTERN or replace:OLD=>NEW)", step)
	}
}

// apply runs one step. Only regex can fail: a pattern that does not match.
func (t transform) apply(s string) (string, error) {
	switch t.op {
	case opTrim:
		return strings.TrimSpace(s), nil
	case opLower:
		return strings.ToLower(s), nil
	case opUpper:
		return strings.ToUpper(s), nil
	case opReplace:
		return strings.ReplaceAll(s, t.old, t.new), nil
	default: // opRegex
		m := t.re.FindStringSubmatch(s)
		if m == nil {
			return "", fmt.Errorf("regex %q does not match %q", t.re.String(), s)
		}
		if len(m) > 1 {
			return m[1], nil
		}
		return m[0], nil
	}
}

// applyTransforms runs a chain in order.
func applyTransforms(ts []transform, s string) (string, error) {
	for _, t := range ts {
		var err error
		if s, err = t.apply(s); err != nil {
			return "", err
		}
	}
	return s, nil
}
