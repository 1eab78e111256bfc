// Package ids makes the IDs the stores assign to tasks and executions.
package ids

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// New returns prefix followed by 24 hex digits: 6 bytes of now in Unix
// milliseconds, so IDs roughly sort by creation time, then 6 random bytes.
func New(prefix string, now time.Time) string {
	var b [12]byte
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(now.UnixMilli()))
	copy(b[:6], ms[2:])
	rand.Read(b[6:]) // never fails: see crypto/rand.Read
	return prefix + hex.EncodeToString(b[:])
}
