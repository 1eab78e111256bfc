package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/store/internal/ids"
	"github.com/titanscrape/titan/store/internal/pagetoken"
)

// CreateTask stores t and version 1 of it; see Store for the fields it assigns
// and writes back.
func (s *Store) CreateTask(ctx context.Context, t *titan.Task) error {
	if t == nil {
		return errors.New("sqlite: create task: task is nil")
	}
	c := *t // the fields set below are values: a shallow copy keeps t intact
	c.Version = 1
	c.Status = cmp.Or(c.Status, titan.TaskActive)
	for attempt := 1; ; attempt++ {
		if t.ID == "" {
			c.ID = ids.New("tsk_", s.now())
		}
		err := s.write(ctx, fmt.Sprintf("create task %q", c.ID), func(tx *sql.Tx) error {
			c.CreatedAt = s.now()
			c.UpdatedAt = c.CreatedAt
			row, err := taskColumns(&c)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO tasks
				(id, name, status, execution_type, version, created_at, updated_at, labels, doc)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				c.ID, c.Name, c.Status, row.executionType, c.Version, row.createdAt, row.updatedAt, row.labels, row.doc)
			if isUnique(err) {
				return fmt.Errorf("already exists: %w", titan.ErrConflict)
			}
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO task_versions (task_id, version, doc) VALUES (?, ?, ?)`, c.ID, c.Version, row.doc)
			return err
		})
		if errors.Is(err, titan.ErrConflict) && t.ID == "" && attempt < idAttempts {
			continue // a generated ID was taken: draw another
		}
		if err != nil {
			return err
		}
		break
	}
	t.ID, t.Version, t.Status, t.CreatedAt, t.UpdatedAt = c.ID, c.Version, c.Status, c.CreatedAt, c.UpdatedAt
	return nil
}

// taskRow holds the columns of a task's row that are not plain fields.
type taskRow struct {
	executionType        titan.ExecutionType
	createdAt, updatedAt int64
	labels, doc          string
}

func taskColumns(t *titan.Task) (taskRow, error) {
	doc, err := encode(t)
	if err != nil {
		return taskRow{}, fmt.Errorf("task %q cannot be stored: %w", cmp.Or(t.ID, t.Name), err)
	}
	labels := "{}"
	if len(t.Labels) > 0 {
		if labels, err = encode(t.Labels); err != nil {
			return taskRow{}, fmt.Errorf("task %q cannot be stored: %w", cmp.Or(t.ID, t.Name), err)
		}
	}
	return taskRow{
		executionType: cmp.Or(t.ExecutionType, titan.ExecutionSingle),
		createdAt:     nanos(t.CreatedAt),
		updatedAt:     nanos(t.UpdatedAt),
		labels:        labels,
		doc:           doc,
	}, nil
}

func decodeTask(doc []byte) (*titan.Task, error) { return decodeDoc[titan.Task](doc, "task") }

// decodeDoc decodes the stored JSON document of a what.
func decodeDoc[T any](doc []byte, what string) (*T, error) {
	var v T
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil, fmt.Errorf("decode stored %s: %w", what, err)
	}
	return &v, nil
}

// getDoc reads the document of the what with id through a prepared statement
// and decodes it; ErrNotFound when there is none.
func getDoc[T any](ctx context.Context, s *Store, stmt *sql.Stmt, what, id string) (*T, error) {
	var v *T
	err := s.call(ctx, fmt.Sprintf("get %s %q", what, id), func() error {
		var doc []byte
		err := stmt.QueryRowContext(ctx, id).Scan(&doc)
		if errors.Is(err, sql.ErrNoRows) {
			return titan.ErrNotFound
		}
		if err != nil {
			return err
		}
		v, err = decodeDoc[T](doc, what)
		return err
	})
	return v, err
}

// GetTask returns the task with the given ID.
func (s *Store) GetTask(ctx context.Context, id string) (*titan.Task, error) {
	return getDoc[titan.Task](ctx, s, s.stmts.getTask, "task", id)
}

// TaskVersion returns version version of the task with the given ID, as it was
// stored by CreateTask or UpdateTask: the task an execution of that version ran.
func (s *Store) TaskVersion(ctx context.Context, id string, version int) (*titan.Task, error) {
	var t *titan.Task
	err := s.read(ctx, fmt.Sprintf("get task %q version %d", id, version), func(db *sql.DB) error {
		var doc []byte
		err := db.QueryRowContext(ctx, `SELECT doc FROM task_versions WHERE task_id = ? AND version = ?`, id, version).Scan(&doc)
		if errors.Is(err, sql.ErrNoRows) {
			return titan.ErrNotFound
		}
		if err != nil {
			return err
		}
		t, err = decodeTask(doc)
		return err
	})
	return t, err
}

// ListTasks returns the tasks that match f, in creation order.
//
// Status, execution type and labels are filtered in SQL. The name is matched in
// Go, as store/memory matches it (strings.ToLower on both sides), because
// SQLite's LIKE folds ASCII letters only.
func (s *Store) ListTasks(ctx context.Context, f titan.TaskFilter) (titan.Page[*titan.Task], error) {
	var page titan.Page[*titan.Task]
	err := s.read(ctx, "list tasks", func(db *sql.DB) error {
		var after int64 // seq of the last task of the previous page
		if f.PageToken != "" {
			id, err := pagetoken.Decode(pagetoken.Task, f.PageToken)
			if err != nil {
				return err
			}
			err = db.QueryRowContext(ctx, `SELECT seq FROM tasks WHERE id = ?`, id).Scan(&after)
			if errors.Is(err, sql.ErrNoRows) {
				return pagetoken.Invalid(f.PageToken)
			}
			if err != nil {
				return err
			}
		}

		q := strings.Builder{}
		q.WriteString(`SELECT name, doc FROM tasks WHERE seq > ?`)
		args := []any{after}
		if f.Status != "" {
			q.WriteString(` AND status = ?`)
			args = append(args, f.Status)
		} else {
			q.WriteString(` AND status <> ?`)
			args = append(args, titan.TaskDeleted)
		}
		if f.ExecutionType != "" {
			q.WriteString(` AND execution_type = ?`)
			args = append(args, f.ExecutionType)
		}
		for k, v := range f.Labels {
			q.WriteString(` AND EXISTS (SELECT 1 FROM json_each(tasks.labels) WHERE key = ? AND value = ?)`)
			args = append(args, k, v)
		}
		q.WriteString(` ORDER BY seq`)
		size := f.Size()
		name := strings.ToLower(f.Name)
		if name == "" {
			q.WriteString(` LIMIT ?`)
			args = append(args, size+1) // one more tells whether a next page exists
		}

		rows, err := db.QueryContext(ctx, q.String(), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				taskName string
				doc      []byte
			)
			if err := rows.Scan(&taskName, &doc); err != nil {
				return err
			}
			if name != "" && !strings.Contains(strings.ToLower(taskName), name) {
				continue
			}
			if len(page.Items) == size {
				page.NextPageToken = pagetoken.Encode(pagetoken.Task, page.Items[size-1].ID)
				break
			}
			t, err := decodeTask(doc)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, t)
		}
		return rows.Err()
	})
	if err != nil {
		return titan.Page[*titan.Task]{}, err
	}
	return page, nil
}

// UpdateTask replaces the stored task whose version is t.Version with t and
// keeps the new version; see Store for the fields it keeps and writes back.
func (s *Store) UpdateTask(ctx context.Context, t *titan.Task) error {
	if t == nil {
		return errors.New("sqlite: update task: task is nil")
	}
	c := *t
	err := s.write(ctx, fmt.Sprintf("update task %q", c.ID), func(tx *sql.Tx) error {
		var (
			version int
			status  titan.TaskStatus
			created sql.NullString
		)
		err := tx.QueryRowContext(ctx, `SELECT version, status, json_extract(doc, '$.created_at') FROM tasks WHERE id = ?`, c.ID).
			Scan(&version, &status, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return titan.ErrNotFound
		}
		if err != nil {
			return err
		}
		if version != c.Version {
			return fmt.Errorf("version %d is stale, the stored version is %d: %w", c.Version, version, titan.ErrConflict)
		}
		if c.CreatedAt, err = parseTime(created); err != nil {
			return err
		}
		c.Version = version + 1
		c.Status = cmp.Or(c.Status, status)
		c.UpdatedAt = s.now()
		row, err := taskColumns(&c)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tasks SET
			name = ?, status = ?, execution_type = ?, version = ?, updated_at = ?, labels = ?, doc = ?
			WHERE id = ?`,
			c.Name, c.Status, row.executionType, c.Version, row.updatedAt, row.labels, row.doc, c.ID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO task_versions (task_id, version, doc) VALUES (?, ?, ?)`, c.ID, c.Version, row.doc)
		return err
	})
	if err != nil {
		return err
	}
	t.Version, t.Status, t.CreatedAt, t.UpdatedAt = c.Version, c.Status, c.CreatedAt, c.UpdatedAt
	return nil
}
