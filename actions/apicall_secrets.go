package actions

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/titanscrape/titan"
)

// sensitiveNames are header and query parameter names that carry credentials,
// lowercased, without "-" and "_". Names ending in apikey, secret or password count
// too; pagination tokens (page_token, next_token) do not.
var sensitiveNames = []string{
	"authorization", "proxyauthorization", "cookie", "key", "token", "accesstoken", "authtoken",
	"apitoken", "bearertoken", "refreshtoken", "idtoken", "sessiontoken", "privatetoken", "xauthtoken",
	"xaccesstoken", "subscriptionkey", "ocpapimsubscriptionkey", "xsubscriptiontoken", "signature", "sig",
}

// sensitive reports whether a header or query parameter name looks like it carries
// a credential.
func sensitive(name string) bool {
	n := strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(name))
	return slices.Contains(sensitiveNames, n) || strings.HasSuffix(n, "apikey") ||
		strings.HasSuffix(n, "secret") || strings.HasSuffix(n, "password")
}

// secretName matches the names of secrets, e.g. GITHUB_TOKEN.
var secretName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

func validSecretName(s string) bool { return secretName.MatchString(s) }

// MissingSecretError reports a secret that an action needs and the run's secrets
// (its secret_payload) do not hold.
type MissingSecretError struct {
	Name string
}

// Error implements the error interface.
func (e *MissingSecretError) Error() string {
	return fmt.Sprintf("secret %s not provided: add it to the run's secrets", e.Name)
}

// lookupSecret returns the secret called name.
func lookupSecret(s titan.Secrets, name string) (string, error) {
	v, ok := s[name]
	if !ok || v == "" {
		return "", &MissingSecretError{Name: name}
	}
	return v, nil
}

// secretValues are the secret values to keep out of errors.
type secretValues []string

// allSecrets lists the values of s, longest first, so that a secret inside
// another is not redacted first.
func allSecrets(s titan.Secrets) secretValues {
	var sv secretValues
	for _, v := range s {
		sv = append(sv, v)
	}
	slices.SortFunc(sv, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return sv
}

// redact replaces every secret value in s with [redacted].
func (sv secretValues) redact(s string) string {
	for _, v := range sv {
		if v != "" {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
	}
	return s
}

// scrub returns err with the secrets' values redacted from its message and from
// the body of an *titan.HTTPError in its chain.
func scrub(err error, secrets titan.Secrets) error {
	sv := allSecrets(secrets)
	if err == nil || len(sv) == 0 {
		return err
	}
	var he *titan.HTTPError
	if errors.As(err, &he) {
		he.Body = sv.redact(he.Body)
	}
	msg := err.Error()
	if red := sv.redact(msg); red != msg {
		return &redactedError{msg: red, err: err}
	}
	return err
}

// redactedError is an error whose message had secrets redacted.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
