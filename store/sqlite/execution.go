package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/internal/ids"
	"github.com/titanscrape/titan/store/internal/pagetoken"
)

// defaultRecordsLimit is the number of records Records returns when limit <= 0.
const defaultRecordsLimit = 1000

// defaultBatchRows is how many records one INSERT statement of Checkpoint
// carries. BenchmarkCheckpointRowsPerInsert measured checkpoints of 1000 records
// about 1.5 times as fast with 100 rows per statement as with one prepared
// INSERT per record; beyond 100 nothing more is gained.
const defaultBatchRows = 100

// CreateExecution stores e; see Store for the fields it assigns and writes back.
// The task e.TaskID must be stored.
func (s *Store) CreateExecution(ctx context.Context, e *titan.Execution) error {
	if e == nil {
		return errors.New("sqlite: create execution: execution is nil")
	}
	c := e.Clone()
	utcTimes(c)
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.now()
	}
	c.Status = cmp.Or(c.Status, titan.StatusQueued)
	for attempt := 1; ; attempt++ {
		if e.ID == "" {
			c.ID = ids.New("exe_", s.now())
		}
		err := s.write(ctx, fmt.Sprintf("create execution %q", c.ID), func(tx *sql.Tx) error {
			doc, err := encodeExec(c)
			if err != nil {
				return err
			}
			owner, until := leaseColumns(c.Lease)
			_, err = tx.ExecContext(ctx, `INSERT INTO executions
				(id, task_id, status, created_at, lease_owner, lease_until, doc)
				VALUES (?, ?, ?, ?, ?, ?, ?)`,
				c.ID, c.TaskID, c.Status, nanos(c.CreatedAt), owner, until, doc)
			switch {
			case isUnique(err):
				return fmt.Errorf("already exists: %w", titan.ErrConflict)
			case isForeignKey(err):
				return fmt.Errorf("task %q: %w", c.TaskID, titan.ErrNotFound)
			}
			return err
		})
		if errors.Is(err, titan.ErrConflict) && e.ID == "" && attempt < idAttempts {
			continue // a generated ID was taken: draw another
		}
		if err != nil {
			return err
		}
		break
	}
	e.ID, e.CreatedAt, e.Status = c.ID, c.CreatedAt, c.Status
	return nil
}

// utcTimes puts the times of e in UTC, which also drops monotonic readings.
func utcTimes(e *titan.Execution) {
	e.CreatedAt, e.StartedAt, e.FinishedAt = e.CreatedAt.UTC(), e.StartedAt.UTC(), e.FinishedAt.UTC()
	if e.Lease != nil {
		e.Lease.Until = e.Lease.Until.UTC()
	}
	for i := range e.Errors {
		e.Errors[i].At = e.Errors[i].At.UTC()
	}
}

// leaseColumns returns the lease_owner and lease_until of a row: NULL without a
// lease.
func leaseColumns(l *titan.Lease) (owner, until any) {
	if l == nil {
		return nil, nil
	}
	return l.Owner, nanos(l.Until)
}

func encodeExec(e *titan.Execution) (string, error) {
	doc, err := encode(e)
	if err != nil {
		return "", fmt.Errorf("execution cannot be stored: %w", err)
	}
	return doc, nil
}

func decodeExec(doc []byte) (*titan.Execution, error) {
	return decodeDoc[titan.Execution](doc, "execution")
}

// GetExecution returns the execution with the given ID.
func (s *Store) GetExecution(ctx context.Context, id string) (*titan.Execution, error) {
	return getDoc[titan.Execution](ctx, s, s.stmts.getExecution, "execution", id)
}

// ListExecutions returns the executions that match f, newest first: by
// CreatedAt, then by order of creation.
func (s *Store) ListExecutions(ctx context.Context, f titan.ExecutionFilter) (titan.Page[*titan.Execution], error) {
	var page titan.Page[*titan.Execution]
	err := s.read(ctx, "list executions", func(db *sql.DB) error {
		var (
			q    strings.Builder
			args []any
		)
		q.WriteString(`SELECT doc FROM executions WHERE true`)
		if f.PageToken != "" {
			id, err := pagetoken.Decode(pagetoken.Execution, f.PageToken)
			if err != nil {
				return err
			}
			var created, seq int64
			err = db.QueryRowContext(ctx, `SELECT created_at, seq FROM executions WHERE id = ?`, id).Scan(&created, &seq)
			if errors.Is(err, sql.ErrNoRows) {
				return pagetoken.Invalid(f.PageToken)
			}
			if err != nil {
				return err
			}
			q.WriteString(` AND (created_at, seq) < (?, ?)`)
			args = append(args, created, seq)
		}
		if f.TaskID != "" {
			q.WriteString(` AND task_id = ?`)
			args = append(args, f.TaskID)
		}
		if f.Status != "" {
			q.WriteString(` AND status = ?`)
			args = append(args, f.Status)
		}
		size := f.Size()
		q.WriteString(` ORDER BY created_at DESC, seq DESC LIMIT ?`)
		args = append(args, size+1) // one more tells whether a next page exists

		rows, err := db.QueryContext(ctx, q.String(), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if len(page.Items) == size {
				page.NextPageToken = pagetoken.Encode(pagetoken.Execution, page.Items[size-1].ID)
				break
			}
			var doc []byte
			if err := rows.Scan(&doc); err != nil {
				return err
			}
			e, err := decodeExec(doc)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, e)
		}
		return rows.Err()
	})
	if err != nil {
		return titan.Page[*titan.Execution]{}, err
	}
	return page, nil
}

// recordDoc is the stored form of a record: its Seq and ExecutionID are columns
// of its row, so the document leaves them out.
type recordDoc struct {
	*titan.Record
	Seq         struct{} `json:"seq,omitzero"`
	ExecutionID struct{} `json:"execution_id,omitzero"`
}

// Checkpoint saves e and appends recs in one transaction; see Store and
// titan.Store for the rules. It writes Seq and ExecutionID back into the
// elements of recs once the transaction has committed.
func (s *Store) Checkpoint(ctx context.Context, e *titan.Execution, recs []titan.Record) error {
	return s.CheckpointDone(ctx, e, recs, nil)
}

// CheckpointDone is Checkpoint that also marks the frontier items done (see
// Frontier), in the same transaction: the records of an item and the mark that
// it is done are kept together or not at all.
func (s *Store) CheckpointDone(ctx context.Context, e *titan.Execution, recs []titan.Record, done []titan.FrontierKey) error {
	if e == nil {
		return errors.New("sqlite: checkpoint: execution is nil")
	}
	c := e.Clone()
	utcTimes(c)
	// Encode outside the transaction, which holds the write lock.
	docs := make([]string, len(recs))
	for i := range recs {
		doc, err := encode(recordDoc{Record: &recs[i]})
		if err != nil {
			return fmt.Errorf("sqlite: checkpoint execution %q: record %d cannot be stored: %w", c.ID, i, err)
		}
		docs[i] = doc
	}

	var last int64 // Seq of the last record before this checkpoint
	err := s.write(ctx, fmt.Sprintf("checkpoint execution %q", c.ID), func(tx *sql.Tx) error {
		var (
			status           titan.ExecutionStatus
			leased           bool
			owner            sql.NullString
			created, leaseTo sql.NullString
		)
		err := tx.StmtContext(ctx, s.stmts.checkpointRead).QueryRowContext(ctx, c.ID).Scan(&status, &last, &leased, &owner, &created, &leaseTo)
		if errors.Is(err, sql.ErrNoRows) {
			return titan.ErrNotFound
		}
		if err != nil {
			return err
		}
		if status.Terminal() {
			return fmt.Errorf("is %s and cannot change: %w", status, titan.ErrConflict)
		}
		if leased && c.Lease != nil {
			if c.Lease.Owner != owner.String {
				return fmt.Errorf("leased to %q, not %q: %w", owner.String, c.Lease.Owner, titan.ErrConflict)
			}
			until, err := parseTime(leaseTo)
			if err != nil {
				return err
			}
			if until.After(c.Lease.Until) {
				c.Lease.Until = until // a renewal since e was read: keep the later expiry
			}
		}
		if c.CreatedAt, err = parseTime(created); err != nil {
			return err
		}
		doc, err := encodeExec(c)
		if err != nil {
			return err
		}
		if err := s.insertRecords(ctx, tx, c.ID, last, docs); err != nil {
			return fmt.Errorf("insert records: %w", err)
		}
		if len(done) > 0 {
			mark := tx.StmtContext(ctx, s.stmts.frontierDone)
			for _, k := range done {
				if _, err := mark.ExecContext(ctx, c.ID, k.Step, k.Key); err != nil {
					return fmt.Errorf("mark %s item %q done: %w", k.Step, k.Key, err)
				}
			}
		}
		leaseOwner, leaseUntil := leaseColumns(c.Lease)
		_, err = tx.StmtContext(ctx, s.stmts.checkpointWrite).ExecContext(ctx,
			c.TaskID, c.Status, leaseOwner, leaseUntil, last+int64(len(docs)), doc, c.ID)
		if isForeignKey(err) {
			return fmt.Errorf("task %q: %w", c.TaskID, titan.ErrNotFound)
		}
		return err
	})
	if err != nil {
		return err
	}
	for i := range recs {
		recs[i].Seq, recs[i].ExecutionID = last+int64(i)+1, c.ID
	}
	return nil
}

// insertRecords inserts the record documents docs of execution id, numbered from
// last+1, s.batchRows rows per statement.
func (s *Store) insertRecords(ctx context.Context, tx *sql.Tx, id string, last int64, docs []string) error {
	if len(docs) == 0 {
		return nil
	}
	n := s.batchRows
	full := tx.StmtContext(ctx, s.stmts.insertBatch)
	args := make([]any, 0, 3*min(n, len(docs)))
	var err error
	for start := 0; start < len(docs); start += n {
		chunk := docs[start:min(start+n, len(docs))]
		args = args[:0]
		for i, doc := range chunk {
			args = append(args, id, last+int64(start+i)+1, doc)
		}
		if len(chunk) == n {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insertRecordsSQL(len(chunk)), args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// insertRecordsSQL returns an INSERT of n records.
func insertRecordsSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO records (execution_id, seq, doc) VALUES (?, ?, ?)`)
	for range n - 1 {
		b.WriteString(`, (?, ?, ?)`)
	}
	return b.String()
}

// Records returns up to limit records of an execution with Seq > after, in Seq
// order; limit <= 0 means 1000.
func (s *Store) Records(ctx context.Context, executionID string, after int64, limit int) ([]titan.Record, error) {
	if limit <= 0 {
		limit = defaultRecordsLimit
	}
	var out []titan.Record
	err := s.call(ctx, fmt.Sprintf("records of execution %q", executionID), func() error {
		rows, err := s.stmts.records.QueryContext(ctx, executionID, after, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = make([]titan.Record, 0, min(limit, 100))
		for rows.Next() {
			var (
				seq int64
				doc []byte
			)
			if err := rows.Scan(&seq, &doc); err != nil {
				return err
			}
			var r titan.Record
			if err := json.Unmarshal(doc, &r); err != nil {
				return fmt.Errorf("decode stored record %d: %w", seq, err)
			}
			r.Seq, r.ExecutionID = seq, executionID
			out = append(out, r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(out) > 0 {
			return nil
		}
		return executionExists(ctx, s.r, executionID)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// executionExists returns titan.ErrNotFound unless the execution with id exists.
func executionExists(ctx context.Context, q querier, id string) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM executions WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return titan.ErrNotFound
	}
	return err
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ClaimExecution leases the oldest claimable execution to owner until now+ttl;
// see store/memory's Store for which executions are claimable. The choice and the
// lease are one write transaction, so two claimers never get the same execution.
func (s *Store) ClaimExecution(ctx context.Context, owner string, ttl time.Duration) (*titan.Execution, error) {
	if err := checkLease(owner, ttl); err != nil {
		return nil, err
	}
	var e *titan.Execution
	err := s.write(ctx, fmt.Sprintf("claim an execution for %q", owner), func(tx *sql.Tx) error {
		now := s.now()
		var (
			id  string
			doc []byte
		)
		err := tx.StmtContext(ctx, s.stmts.claim).QueryRowContext(ctx, nanos(now)).Scan(&id, &doc)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("none waits: %w", titan.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if e, err = decodeExec(doc); err != nil {
			return err
		}
		e.Lease = &titan.Lease{Owner: owner, Until: now.Add(ttl)}
		return s.saveLease(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// saveLease writes e's lease, and e's document with it.
func (s *Store) saveLease(ctx context.Context, tx *sql.Tx, e *titan.Execution) error {
	doc, err := encodeExec(e)
	if err != nil {
		return err
	}
	owner, until := leaseColumns(e.Lease)
	_, err = tx.StmtContext(ctx, s.stmts.saveLease).ExecContext(ctx, owner, until, doc, e.ID)
	return err
}

// RenewLease extends owner's lease of an execution to now+ttl, even when it has
// expired, as long as nobody claimed it since. It is ErrConflict when the
// execution is terminal, has no lease, or another owner holds it.
func (s *Store) RenewLease(ctx context.Context, executionID, owner string, ttl time.Duration) error {
	if err := checkLease(owner, ttl); err != nil {
		return err
	}
	return s.write(ctx, fmt.Sprintf("renew lease of execution %q", executionID), func(tx *sql.Tx) error {
		var doc []byte
		err := tx.QueryRowContext(ctx, `SELECT doc FROM executions WHERE id = ?`, executionID).Scan(&doc)
		if errors.Is(err, sql.ErrNoRows) {
			return titan.ErrNotFound
		}
		if err != nil {
			return err
		}
		e, err := decodeExec(doc)
		if err != nil {
			return err
		}
		switch {
		case e.Status.Terminal():
			return fmt.Errorf("is %s: %w", e.Status, titan.ErrConflict)
		case e.Lease == nil:
			return fmt.Errorf("not leased: %w", titan.ErrConflict)
		case e.Lease.Owner != owner:
			return fmt.Errorf("leased to %q, not %q: %w", e.Lease.Owner, owner, titan.ErrConflict)
		}
		e.Lease.Until = s.now().Add(ttl)
		return s.saveLease(ctx, tx, e)
	})
}

func checkLease(owner string, ttl time.Duration) error {
	switch {
	case owner == "":
		return errors.New("sqlite: lease owner is empty")
	case ttl <= 0:
		return fmt.Errorf("sqlite: lease ttl %v is not positive", ttl)
	}
	return nil
}
