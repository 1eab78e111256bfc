package sqlite

// WithBatchRows sets how many records one INSERT of Checkpoint carries, for
// the benchmarks that chose defaultBatchRows.
func WithBatchRows(n int) Option {
	return func(c *config) { c.batchRows = n }
}
