// Package storetest is the conformance suite of titan.Store: every Store
// implementation runs it from its own tests and passes it.
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) titan.Store {
//			s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "titan.db"))
//			if err != nil {
//				t.Fatal(err)
//			}
//			return s
//		})
//	}
//
// The suite uses nothing but the titan.Store interface. It compares values after
// normalising what a durable store may legitimately change: numbers in maps come
// back as float64, raw JSON may be reformatted (and its object keys reordered),
// empty maps and slices may come back nil, and times may lose their location and
// everything below the microsecond.
//
// # The contract it checks
//
// Beyond the documentation of titan.Store, the suite holds stores to these rules:
//
//   - Created tasks and executions get the caller's ID when it is not empty (an ID
//     in use is ErrConflict), a fresh unique one otherwise, and the assigned fields
//     (ID, Version, Status, CreatedAt, UpdatedAt of a task; ID and CreatedAt of an
//     execution) are written back into the caller's value. A given CreatedAt of an
//     execution is kept.
//   - UpdateTask keeps CreatedAt, writes Version and UpdatedAt back, and leaves
//     the store unchanged when it fails.
//   - An empty ExecutionType on a task counts as single in TaskFilter.
//   - Listings page by opaque tokens: the page holding the last item has an empty
//     NextPageToken, and a token that no listing returned is an error.
//   - ListExecutions breaks CreatedAt ties by order of creation (newer first).
//   - Checkpoint writes each record's Seq and ExecutionID back into recs; it is
//     ErrConflict when e.Lease names an owner other than the stored lease's, and a
//     checkpoint from a copy taken before a RenewLease does not shorten the lease.
//     A failed checkpoint changes nothing.
//   - Records with limit <= 0 returns up to a default of at least 100 records.
//   - ClaimExecution takes, oldest first, a non-terminal execution that is queued
//     without a lease or whose lease has expired (queued, running or paused); it
//     never takes a running or paused execution without a lease.
//   - RenewLease is ErrConflict for a terminal execution or one without a lease.
//   - Errors of missing or conflicting tasks and executions name the ID.
//   - Every method fails with an error wrapping context.Canceled when ctx is
//     cancelled, and every method but Close fails after Close.
//
// The store's clock must follow the wall clock: the suite waits, at most a few
// seconds, for leases of one nanosecond to expire.
package storetest
