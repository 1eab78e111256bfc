//go:build unix

package runner

import "syscall"

// allocChunk returns n bytes of memory outside the Go heap (an anonymous
// mapping), so a big frontier does not raise the garbage collector's heap target,
// or Go memory when the mapping fails.
func allocChunk(n int) ([]byte, bool) {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, n), false
	}
	return b, true
}

// freeChunk returns memory from allocChunk.
func freeChunk(b []byte, mapped bool) {
	if mapped {
		syscall.Munmap(b)
	}
}
