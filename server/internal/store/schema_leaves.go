package store

// schemaActiveLeaves names "a leave that was not withdrawn" once: every
// query that asks whether a person is excused reads active_leaves instead
// of repeating the revoked_at condition (issue 16.1). The partial index
// leaves_active (v1) serves it.
const schemaActiveLeaves = `
CREATE VIEW active_leaves AS SELECT * FROM leaves WHERE revoked_at IS NULL;
`
