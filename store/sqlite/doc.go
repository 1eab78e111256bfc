// Package sqlite is a titan.Store in one SQLite database file: the embedded,
// durable store for one process. Tasks and every version of them, executions,
// records, crawl frontiers and task URL inventories survive a crash of the
// process. It uses modernc.org/sqlite, SQLite translated to pure Go, so it needs
// no cgo.
//
//	s, err := sqlite.Open(ctx, "titan.db")
//	if err != nil {
//		return err
//	}
//	defer s.Close()
//
// It passes the conformance suite of package store/storetest and otherwise
// behaves as store/memory does; Store lists the differences.
//
// # Durability
//
// The database runs in WAL mode with synchronous=NORMAL. A commit appends to the
// write-ahead log without waiting for the disk; the log is synced when SQLite
// copies it into the database file (a WAL checkpoint, every 1000 pages or so).
// So a committed Checkpoint survives a crash of the process (a panic, SIGKILL,
// the OOM killer): the log is in the operating system's cache and is replayed
// when the file is opened again. A power loss or an operating system crash may
// lose the transactions committed since the last WAL checkpoint, but never
// corrupts the database: it opens at an earlier, consistent state.
//
// WithFullSync (synchronous=FULL) syncs the log on every commit, so nothing
// committed is ever lost, at the price of an fsync per write transaction: a
// Checkpoint, a frontier Add, a lease renewal. On an SSD that is a fraction of
// a millisecond; on slow or network disks it can be many milliseconds, which
// bounds the number of write transactions per second.
//
// # Connections
//
// A Store keeps one writer connection (database/sql pool of one) whose
// transactions begin IMMEDIATE, and a pool of read connections (4 by default,
// see WithReadConns) opened query_only. SQLite runs one write transaction at a
// time anyway: with a single writer connection, concurrent writers queue in
// database/sql, which honours their contexts, instead of spinning on SQLite's
// lock and failing with SQLITE_BUSY, and a transaction that reads then writes
// (ClaimExecution, UpdateTask's version check, Checkpoint's lease check) cannot
// interleave with another. In WAL mode readers do not block the writer nor wait
// for it, and each read sees every transaction committed before it began. The
// busy timeout (5s) matters only when another process writes the same file.
//
// # Schema
//
// Versioned migrations, embedded SQL files applied in order at Open, each in its
// own transaction together with its row in schema_migrations(version,
// applied_at); reopening applies nothing twice, and a database migrated by a
// newer version of this package is refused with ErrSchemaTooNew. The tables:
//
//	tasks          one row per task: indexed columns and the task as JSON (doc)
//	task_versions  (task_id, version, doc): every version, see TaskVersion
//	executions     indexed columns (status, created_at, lease_owner, lease_until,
//	               last_seq) and the execution as JSON
//	records        (execution_id, seq, doc): the records of each execution
//	frontier       (execution_id, step, key) unique, item JSON, state queued,
//	               in_flight or done, seq: see Frontier
//	url_inventory  (task_id, url) unique, added_at: see AddToInventory
//
// Each object is stored whole as JSON, so fields added to titan's types are kept
// without a migration; the other columns are indexes on it, written with it.
// Times in indexed columns are Unix nanoseconds; the JSON keeps them exact.
//
// # Copies and time
//
// Values are copied in and out through their JSON form, so the store never shares
// memory with its callers: numbers in maps come back as float64, raw JSON such as
// OutputSchema comes back compacted (not HTML-escaped), and times come back in
// UTC, to the nanosecond, without a monotonic reading. Timestamps come from the
// store's clock (time.Now unless WithClock says otherwise).
package sqlite
