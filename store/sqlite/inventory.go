package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/titanscrape/titan"
)

// AddToInventory adds urls to the URL inventory of a task, the input of steps
// whose source is task_url_inventory, which persists across executions. It
// returns how many it added: URLs already in the inventory, or repeated in urls,
// are not added again. The task must be stored.
func (s *Store) AddToInventory(ctx context.Context, taskID string, urls []string) (added int, err error) {
	err = s.write(ctx, fmt.Sprintf("add to the inventory of task %q", taskID), func(tx *sql.Tx) error {
		if err := taskExists(ctx, tx, taskID); err != nil {
			return err
		}
		if len(urls) == 0 {
			return nil
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO url_inventory (task_id, url, added_at)
			VALUES (?, ?, ?) ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		now := nanos(s.now())
		for _, u := range urls {
			res, err := stmt.ExecContext(ctx, taskID, u, now)
			if err != nil {
				return fmt.Errorf("url %q: %w", u, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			added += int(n)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// Inventory returns the URL inventory of a task, in the order the URLs were
// added.
func (s *Store) Inventory(ctx context.Context, taskID string) ([]string, error) {
	var urls []string
	err := s.read(ctx, fmt.Sprintf("inventory of task %q", taskID), func(db *sql.DB) error {
		rows, err := db.QueryContext(ctx, `SELECT url FROM url_inventory WHERE task_id = ? ORDER BY seq`, taskID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				return err
			}
			urls = append(urls, u)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(urls) > 0 {
			return nil
		}
		return taskExists(ctx, db, taskID)
	})
	if err != nil {
		return nil, err
	}
	return urls, nil
}

// taskExists returns titan.ErrNotFound unless the task with id exists.
func taskExists(ctx context.Context, q querier, id string) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM tasks WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return titan.ErrNotFound
	}
	return err
}
