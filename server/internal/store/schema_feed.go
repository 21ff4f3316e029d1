package store

// schemaFeed is the live feed between servers on one PostgreSQL (issue
// 17.3, feed_pg.go): every write transaction that announces a change also
// stores it here, in the same transaction, and NOTIFYs its number; every
// other server reads the rows after the last one it applied and announces
// them to its own listeners. On SQLite there is one server and the tables
// stay empty.
//
//   - seq numbers the rows in commit order: every writer takes the
//     writers' lock before it takes a number (pgdriver.go), so a row is
//     visible only after every row numbered before it;
//   - origin is the random id of the server (store handle) that wrote it,
//     which announced it already and skips it;
//   - at_us is when it was stored, in microseconds by the database's
//     clock (one clock for every server): the health page's feed lag;
//   - body is the Change as JSON.
//
// Rows older than a few minutes are pruned; live_feed_pruned keeps the
// highest number pruned, so that a server whose last applied row is older
// knows it missed some and reads everything again.
const schemaFeed = `
CREATE TABLE live_feed (
	seq INTEGER PRIMARY KEY,
	origin TEXT NOT NULL,
	at_us INTEGER NOT NULL,
	body TEXT NOT NULL
);
CREATE TABLE live_feed_pruned (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	through INTEGER NOT NULL
);
`
