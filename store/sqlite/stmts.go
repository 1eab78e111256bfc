package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SQLite parses a statement every time it is prepared, which costs as much as
// running a small one: the statements of the frequent calls are prepared once,
// at Open, and reused. (A parse is about a fifth of a frontier Add.)

// The statements of the frequent calls, prepared once.
const (
	sqlFrontierAdd = `INSERT INTO frontier (execution_id, step, key, item, state)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	sqlFrontierNext = `UPDATE frontier SET state = 'in_flight'
		WHERE seq = (SELECT seq FROM frontier
			WHERE execution_id = ? AND step = ? AND state = 'queued' ORDER BY seq LIMIT 1)
		RETURNING key, item`
	sqlFrontierDone = `UPDATE frontier SET state = 'done'
		WHERE execution_id = ? AND step = ? AND key = ?`
	sqlFrontierCounts = `SELECT state, count(*) FROM frontier
		WHERE execution_id = ? AND step = ? GROUP BY state`

	sqlCheckpointRead = `SELECT status, last_seq, lease_until IS NOT NULL, lease_owner,
		json_extract(doc, '$.created_at'), json_extract(doc, '$.lease.until')
		FROM executions WHERE id = ?`
	sqlCheckpointWrite = `UPDATE executions SET
		task_id = ?, status = ?, lease_owner = ?, lease_until = ?, last_seq = ?, doc = ?
		WHERE id = ?`
	// An execution with a lease is claimable once it expires, whatever its
	// non-terminal status; one without a lease only while queued. The index
	// executions_status finds the non-terminal ones.
	sqlClaim = `SELECT id, doc FROM executions
		WHERE status IN ('queued', 'running', 'paused')
		AND CASE WHEN lease_until IS NULL THEN status = 'queued' ELSE lease_until < ? END
		ORDER BY created_at, seq LIMIT 1`
	sqlSaveLease = `UPDATE executions SET lease_owner = ?, lease_until = ?, doc = ? WHERE id = ?`

	sqlGetTask      = `SELECT doc FROM tasks WHERE id = ?`
	sqlGetExecution = `SELECT doc FROM executions WHERE id = ?`
	sqlRecords      = `SELECT seq, doc FROM records
		WHERE execution_id = ? AND seq > ? ORDER BY seq LIMIT ?`
)

// stmts holds the prepared statements: those of w run on the writer connection,
// or in its transactions through tx.StmtContext, which reuses them; those of r
// on the readers.
type stmts struct {
	frontierAdd, frontierNext, frontierDone      *sql.Stmt
	checkpointRead, checkpointWrite, insertBatch *sql.Stmt
	claim, saveLease                             *sql.Stmt

	getTask, getExecution, records, frontierCounts *sql.Stmt

	all []*sql.Stmt
}

// prepare prepares the statements, batchRows records per insertBatch.
func (p *stmts) prepare(ctx context.Context, w, r *sql.DB, batchRows int) error {
	for _, s := range []struct {
		dst   **sql.Stmt
		db    *sql.DB
		query string
	}{
		{&p.frontierAdd, w, sqlFrontierAdd},
		{&p.frontierNext, w, sqlFrontierNext},
		{&p.frontierDone, w, sqlFrontierDone},
		{&p.checkpointRead, w, sqlCheckpointRead},
		{&p.checkpointWrite, w, sqlCheckpointWrite},
		{&p.insertBatch, w, insertRecordsSQL(batchRows)},
		{&p.claim, w, sqlClaim},
		{&p.saveLease, w, sqlSaveLease},
		{&p.getTask, r, sqlGetTask},
		{&p.getExecution, r, sqlGetExecution},
		{&p.records, r, sqlRecords},
		{&p.frontierCounts, r, sqlFrontierCounts},
	} {
		st, err := s.db.PrepareContext(ctx, s.query)
		if err != nil {
			return fmt.Errorf("sqlite: prepare %q: %w", s.query, errors.Join(err, p.close()))
		}
		*s.dst = st
		p.all = append(p.all, st)
	}
	return nil
}

func (p *stmts) close() error {
	var errs []error
	for _, st := range p.all {
		errs = append(errs, st.Close())
	}
	p.all = nil
	return errors.Join(errs...)
}
