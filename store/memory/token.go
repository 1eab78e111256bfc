package memory

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// A page token is the base64 form of its kind and the ID of the last item of the
// page it follows, so a listing resumes after that item even when items were
// created in between.
const (
	taskToken = "t1:"
	execToken = "e1:"
)

func encodeToken(kind, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + id))
}

// decodeToken returns the ID in token, which must be of the given kind.
func decodeToken(kind, token string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || !strings.HasPrefix(string(b), kind) || len(b) == len(kind) {
		return "", fmt.Errorf("memory: page token %q: %w", token, ErrInvalidPageToken)
	}
	return string(b[len(kind):]), nil
}
