package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrSchemaTooNew reports a database whose schema was migrated by a newer version
// of this package than the one opening it. Open refuses it rather than risk
// writing rows the newer schema does not expect.
var ErrSchemaTooNew = errors.New("sqlite: schema is newer than this version of titan knows")

//go:embed migrations/*.sql
var migrationFiles embed.FS

// A migration is one embedded SQL file, migrations/NNNN_name.sql, version NNNN.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations returns the embedded migrations in version order. Versions
// start at 1 and have no gaps.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive version and _", base)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: version %d, want %d", m.name, m.version, i+1)
		}
	}
	return ms, nil
}

// migrate brings the schema of db up to the last of ms, each migration in its own
// transaction together with its schema_migrations row, so a crash between two
// leaves a database at a known version. Migrations already applied are skipped;
// a database at a version beyond ms is ErrSchemaTooNew. db must be the writer:
// its transactions begin IMMEDIATE, so two processes opening the same file
// apply each migration once.
func migrate(ctx context.Context, db *sql.DB, ms []migration, now func() time.Time) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL -- RFC 3339, UTC
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	current, err := schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	if current > len(ms) {
		return fmt.Errorf("database at schema version %d, this code knows up to %d: %w", current, len(ms), ErrSchemaTooNew)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		if err := applyMigration(ctx, db, m, len(ms), now); err != nil {
			return err
		}
	}
	return nil
}

// schemaVersion returns the last migration applied to db, 0 for none.
func schemaVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// applyMigration applies m unless the database is at its version or beyond, which
// it checks again once it holds the write lock: another process may have
// migrated meanwhile.
func applyMigration(ctx context.Context, db *sql.DB, m migration, known int, now func() time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	defer tx.Rollback()
	current, err := schemaVersion(ctx, tx)
	if err != nil {
		return err
	}
	switch {
	case current > known:
		return fmt.Errorf("database at schema version %d, this code knows up to %d: %w", current, known, ErrSchemaTooNew)
	case current >= m.version:
		return nil
	case current != m.version-1:
		return fmt.Errorf("migration %s: database at version %d, want %d", m.name, current, m.version-1)
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		m.version, now().UTC().Format(time.RFC3339Nano)); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", m.name, err)
	}
	return nil
}
