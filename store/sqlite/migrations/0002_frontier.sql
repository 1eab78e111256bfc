-- Durable crawl frontiers and task URL inventories.

-- One row per key a step's frontier ever accepted. The UNIQUE key makes Add an
-- atomic INSERT OR IGNORE; seq, the rowid, is the order of acceptance, so Next
-- takes the lowest queued seq (FIFO).
CREATE TABLE frontier (
	seq          INTEGER PRIMARY KEY,
	execution_id TEXT NOT NULL REFERENCES executions (id),
	step         TEXT NOT NULL,
	key          TEXT NOT NULL,
	item         TEXT NOT NULL,               -- titan.Item as JSON
	state        TEXT NOT NULL CHECK (state IN ('queued', 'in_flight', 'done')),
	UNIQUE (execution_id, step, key)
);
CREATE INDEX frontier_queued ON frontier (execution_id, step, seq) WHERE state = 'queued';

-- The URLs of a task's inventory, which persists across executions.
CREATE TABLE url_inventory (
	seq      INTEGER PRIMARY KEY,             -- order of addition
	task_id  TEXT    NOT NULL REFERENCES tasks (id),
	url      TEXT    NOT NULL,
	added_at INTEGER NOT NULL,
	UNIQUE (task_id, url)
);
