package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func open(t *testing.T, path string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func mustClose(t *testing.T, s *Store) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

type migrationRow struct {
	version   int
	appliedAt string
}

func migrationRows(t *testing.T, db *sql.DB) []migrationRow {
	t.Helper()
	rows, err := db.Query(`SELECT version, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []migrationRow
	for rows.Next() {
		var r migrationRow
		if err := rows.Scan(&r.version, &r.appliedAt); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMigrationsApplyOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "titan.db")
	t1 := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	s := open(t, path, WithClock(func() time.Time { return t1 }))
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	first := migrationRows(t, s.w)
	if len(first) != len(ms) || len(ms) < 2 {
		t.Fatalf("%d migrations applied, want all %d", len(first), len(ms))
	}
	for i, r := range first {
		if r.version != i+1 || r.appliedAt != "2025-06-01T09:00:00Z" {
			t.Errorf("migration row %d: %+v, want version %d applied at 2025-06-01T09:00:00Z", i, r, i+1)
		}
	}
	mustClose(t, s)

	// Reopening applies nothing again: the rows keep their first applied_at.
	s = open(t, path, WithClock(func() time.Time { return t1.Add(time.Hour) }))
	defer mustClose(t, s)
	again := migrationRows(t, s.w)
	if len(again) != len(first) {
		t.Fatalf("after reopening: %d rows, want %d", len(again), len(first))
	}
	for i := range again {
		if again[i] != first[i] {
			t.Errorf("after reopening: row %+v, want %+v", again[i], first[i])
		}
	}
}

func TestMigrationsResumeFromPartial(t *testing.T) {
	path := filepath.Join(t.TempDir(), "titan.db")
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	// A database migrated by a version of the code that knew only the first
	// migration.
	db, err := sql.Open("sqlite", dsn(path, map[string][]string{"_txlock": {"immediate"}}))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(context.Background(), db, ms[:1], time.Now); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s := open(t, path)
	defer mustClose(t, s)
	if v, err := schemaVersion(context.Background(), s.w); err != nil || v != len(ms) {
		t.Errorf("schema version %d, %v; want %d", v, err, len(ms))
	}
	var n int
	if err := s.w.QueryRow(`SELECT count(*) FROM frontier`).Scan(&n); err != nil {
		t.Errorf("frontier table of the second migration: %v", err)
	}
}

func TestMigrationsFutureVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "titan.db")
	s := open(t, path)
	if _, err := s.w.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (99, '2030-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	mustClose(t, s)

	s, err := Open(context.Background(), path)
	if err == nil {
		s.Close()
		t.Fatal("Open of a database at version 99: no error")
	}
	if !errors.Is(err, ErrSchemaTooNew) || !strings.Contains(err.Error(), "version 99") || !strings.Contains(err.Error(), path) {
		t.Errorf("Open of a database at version 99: %v; want ErrSchemaTooNew naming the file and the version", err)
	}
}

func TestLoadMigrationsRejectsBadSets(t *testing.T) {
	file := &fstest.MapFile{Data: []byte("CREATE TABLE t (x);")}
	for _, tc := range []struct {
		name  string
		files fstest.MapFS
	}{
		{"gap", fstest.MapFS{"migrations/0001_a.sql": file, "migrations/0003_c.sql": file}},
		{"duplicate", fstest.MapFS{"migrations/0001_a.sql": file, "migrations/0001_b.sql": file}},
		{"no version", fstest.MapFS{"migrations/init.sql": file}},
		{"zero", fstest.MapFS{"migrations/0000_init.sql": file}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if ms, err := loadMigrations(tc.files); err == nil {
				t.Errorf("loaded %d migrations, want an error", len(ms))
			}
		})
	}
	ms, err := loadMigrations(fstest.MapFS{"migrations/0002_b.sql": file, "migrations/0001_a.sql": file, "migrations/0010_x.txt": file})
	if err != nil || len(ms) != 2 || ms[0].name != "0001_a.sql" || ms[1].name != "0002_b.sql" {
		t.Errorf("loaded %+v, %v; want 0001_a.sql then 0002_b.sql", ms, err)
	}
}

func TestPragmas(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
		sync int
	}{
		{"default", nil, 1},
		{"full sync", []Option{WithFullSync()}, 2},
		{"shared connection", []Option{WithReadConns(0)}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t, filepath.Join(t.TempDir(), "titan.db"), tc.opts...)
			defer mustClose(t, s)
			var (
				mode             string
				sync, fk, busyMS int
			)
			for _, p := range []struct {
				pragma string
				dst    any
			}{
				{"journal_mode", &mode}, {"synchronous", &sync}, {"foreign_keys", &fk}, {"busy_timeout", &busyMS},
			} {
				if err := s.w.QueryRow(`PRAGMA ` + p.pragma).Scan(p.dst); err != nil {
					t.Fatalf("PRAGMA %s: %v", p.pragma, err)
				}
			}
			if mode != "wal" || sync != tc.sync || fk != 1 || busyMS != 5000 {
				t.Errorf("journal_mode %s, synchronous %d, foreign_keys %d, busy_timeout %d; want wal, %d, 1, 5000",
					mode, sync, fk, busyMS, tc.sync)
			}
			if tc.opts == nil {
				if _, err := s.r.Exec(`DELETE FROM tasks`); err == nil {
					t.Error("a reader connection wrote")
				}
			}
		})
	}
}
