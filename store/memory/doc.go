// Package memory is a titan.Store that keeps everything in the process's memory:
// nothing to set up, everything lost on exit. It is the default store, for tests
// and one-off runs.
//
// # Copies
//
// The store never shares memory with its callers. Tasks are copied in and out
// through their JSON form, as a durable store would: numbers in Params and Payload
// come back as float64 and raw JSON such as OutputSchema comes back compacted
// (but not HTML-escaped: a selector "ul > li" stays as written).
// Executions are copied with Execution.Clone. Records are copied deeply: their
// Errors, Page and the maps, slices, arrays, pointers and structs of their Data, so
// a caller may reuse or mutate a record after Checkpoint. Data must be acyclic, as
// anything JSON can encode is.
//
// # Time
//
// Timestamps come from the store's clock (time.Now unless WithClock says
// otherwise) and carry no monotonic reading, as after a round trip through a
// database.
package memory
