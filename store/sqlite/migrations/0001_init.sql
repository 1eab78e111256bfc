-- Tasks, their versions, executions and records.
--
-- Every table whose rows are listed in insertion order has an INTEGER PRIMARY KEY
-- (an alias of the rowid) that keeps that order, stable across VACUUM; natural
-- keys are UNIQUE. Times are INTEGER Unix nanoseconds, UTC. doc columns hold the
-- whole object as JSON: the other columns are indexes on it, written with it.

CREATE TABLE tasks (
	seq            INTEGER PRIMARY KEY,      -- creation order
	id             TEXT    NOT NULL UNIQUE,
	name           TEXT    NOT NULL,
	status         TEXT    NOT NULL,
	execution_type TEXT    NOT NULL,         -- an empty type is stored as 'single'
	version        INTEGER NOT NULL,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	labels         TEXT    NOT NULL,         -- JSON object of strings
	doc            TEXT    NOT NULL
);
CREATE INDEX tasks_status ON tasks (status, seq);

-- Every version of every task, the current one included, so that the version an
-- execution ran can be read later.
CREATE TABLE task_versions (
	task_id TEXT    NOT NULL REFERENCES tasks (id),
	version INTEGER NOT NULL,
	doc     TEXT    NOT NULL,
	PRIMARY KEY (task_id, version)
);

CREATE TABLE executions (
	seq         INTEGER PRIMARY KEY,         -- creation order: breaks created_at ties
	id          TEXT    NOT NULL UNIQUE,
	task_id     TEXT    NOT NULL REFERENCES tasks (id),
	status      TEXT    NOT NULL,
	created_at  INTEGER NOT NULL,
	lease_owner TEXT,                        -- NULL without a lease
	lease_until INTEGER,                     -- NULL without a lease
	last_seq    INTEGER NOT NULL DEFAULT 0,  -- Seq of the execution's last record
	doc         TEXT    NOT NULL
);
CREATE INDEX executions_created ON executions (created_at, seq);
CREATE INDEX executions_task ON executions (task_id, created_at, seq);
-- Also serves ClaimExecution, which looks at the few non-terminal executions.
CREATE INDEX executions_status ON executions (status, created_at, seq);

CREATE TABLE records (
	execution_id TEXT    NOT NULL REFERENCES executions (id),
	seq          INTEGER NOT NULL,
	doc          TEXT    NOT NULL,
	PRIMARY KEY (execution_id, seq)
);
