package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/titanscrape/titan"
)

// AddDelivery records a webhook delivery attempt of a stored execution.
func (s *Store) AddDelivery(ctx context.Context, d titan.Delivery) error {
	doc, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("sqlite: delivery of execution %q: %w", d.ExecutionID, err)
	}
	return s.write(ctx, fmt.Sprintf("add a delivery of execution %q", d.ExecutionID), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO deliveries (execution_id, doc) VALUES (?, ?)`, d.ExecutionID, string(doc))
		if isForeignKey(err) {
			return fmt.Errorf("execution %q: %w", d.ExecutionID, titan.ErrNotFound)
		}
		return err
	})
}

// Deliveries returns the webhook delivery attempts of an execution, in order.
func (s *Store) Deliveries(ctx context.Context, executionID string) ([]titan.Delivery, error) {
	var out []titan.Delivery
	err := s.read(ctx, fmt.Sprintf("deliveries of execution %q", executionID), func(db *sql.DB) error {
		rows, err := db.QueryContext(ctx, `SELECT doc FROM deliveries WHERE execution_id = ? ORDER BY seq`, executionID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var doc string
			if err := rows.Scan(&doc); err != nil {
				return err
			}
			d, err := decodeDoc[titan.Delivery]([]byte(doc), "delivery")
			if err != nil {
				return err
			}
			out = append(out, *d)
		}
		return rows.Err()
	})
	return out, err
}
