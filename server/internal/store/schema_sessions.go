package store

// schemaAbsentFrom gives each session its rule for when those expected who
// have not come count as 缺席 rather than 未到: 'start' (as every session
// did before) or 'close' (only once check-in closes). See
// eventdef.Session.AbsentFrom and docs/counts.md.
const schemaAbsentFrom = `
ALTER TABLE sessions ADD COLUMN absent_from TEXT NOT NULL DEFAULT 'start' CHECK (absent_from IN ('start','close'));
`
