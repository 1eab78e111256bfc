//go:build !unix

package runner

// allocChunk returns n bytes of Go memory.
func allocChunk(n int) ([]byte, bool) { return make([]byte, n), false }

// freeChunk does nothing: the garbage collector frees Go memory.
func freeChunk([]byte, bool) {}
