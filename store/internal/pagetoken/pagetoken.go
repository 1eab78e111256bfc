// Package pagetoken is the page token format the stores share: the base64 form
// of a kind and the ID of the last item of the page it follows, so that a listing
// resumes after that item even when items were created in between.
package pagetoken

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/titanscrape/titan"
)

// The kinds of token.
const (
	Task      = "t1:"
	Execution = "e1:"
)

// Encode returns the token of kind that resumes after the item with id.
func Encode(kind, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + id))
}

// Decode returns the ID in token, which must be of the given kind; otherwise an
// error wrapping titan.ErrInvalidPageToken.
func Decode(kind, token string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || !strings.HasPrefix(string(b), kind) || len(b) == len(kind) {
		return "", Invalid(token)
	}
	return string(b[len(kind):]), nil
}

// Invalid returns the error of a token that names no item.
func Invalid(token string) error {
	return fmt.Errorf("page token %q: %w", token, titan.ErrInvalidPageToken)
}
