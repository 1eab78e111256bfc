-- Webhook delivery attempts, kept with their execution.
CREATE TABLE deliveries (
	seq          INTEGER PRIMARY KEY,         -- order of the attempts
	execution_id TEXT NOT NULL REFERENCES executions (id),
	doc          TEXT NOT NULL                -- titan.Delivery as JSON
);
CREATE INDEX deliveries_execution ON deliveries (execution_id, seq);
