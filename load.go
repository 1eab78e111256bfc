package titan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"
)

// ParseTask decodes a task from JSON, or from YAML when the data is not JSON.
// Unknown fields are errors, so a typo never passes silently. ParseTask does not
// validate; call Validate.
func ParseTask(data []byte) (*Task, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("titan: task file is empty")
	}
	if trimmed[0] != '{' {
		j, err := yaml.YAMLToJSON(data)
		if err != nil {
			return nil, fmt.Errorf("titan: task YAML: %w", err)
		}
		data = j
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t Task
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("titan: task: %w", describeJSONError(data, err))
	}
	if dec.More() {
		return nil, fmt.Errorf("titan: task: data after the task object")
	}
	return &t, nil
}

// LoadTask reads a task file: .json, .yaml or .yml.
func LoadTask(path string) (*Task, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json", ".yaml", ".yml":
	default:
		return nil, fmt.Errorf("titan: task file %s: want a .json, .yaml or .yml file", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("titan: %w", err)
	}
	t, err := ParseTask(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// describeJSONError adds the line and column to JSON syntax and type errors.
func describeJSONError(data []byte, err error) error {
	var off int64
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		if e.Field != "" {
			return fmt.Errorf("%s: cannot use a JSON %s as %s", e.Field, e.Value, e.Type)
		}
		off = e.Offset
	default:
		return err
	}
	line := 1 + bytes.Count(data[:min(int(off), len(data))], []byte("\n"))
	return fmt.Errorf("line %d: %w", line, err)
}
