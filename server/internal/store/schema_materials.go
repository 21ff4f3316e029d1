package store

// schemaMaterials is 资料发放 (issue 13.2): what the secretariat hands
// each person (会议手册, 文件袋, 代表证, 餐券, 纪念品) and who has it.
//
//   - material_items: one thing handed out, with the stock the stockroom
//     entered (NULL: not entered) and whether it must be in people's hands
//     before the meeting starts (代表证, 文件袋);
//   - material_points: the checkpoints whose scan hands an item out (the
//     hotel desk gives the 文件袋, the hall door the 会议手册); a
//     checkpoint's code, not a reference, so that the definition may drop
//     a checkpoint without asking this table;
//   - material_kits and material_kit_items: a kit is items handed as one
//     (代表资料袋);
//   - material_grants: who is due a kit or an item: everyone in a category,
//     in a delegation, one attendee, or where every condition given holds;
//   - material_due: (attendee, item) for every active person and item they
//     are due, the one definition of 应发 for the engine, the desk and the
//     counts;
//   - material_handouts: one row per (attendee, item), so an item is
//     recorded once however many kiosks scan the badge at once.
const schemaMaterials = `
CREATE TABLE material_items (
	id           INTEGER PRIMARY KEY,
	code         TEXT NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	name_en      TEXT NOT NULL DEFAULT '',
	stock        INTEGER CHECK (stock IS NULL OR stock >= 0),
	before_start INTEGER NOT NULL DEFAULT 0,
	sort         INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE material_points (
	item_id    INTEGER NOT NULL REFERENCES material_items(id) ON DELETE CASCADE,
	checkpoint TEXT NOT NULL,
	PRIMARY KEY (checkpoint, item_id)
);
CREATE TABLE material_kits (
	id      INTEGER PRIMARY KEY,
	code    TEXT NOT NULL UNIQUE,
	name    TEXT NOT NULL,
	name_en TEXT NOT NULL DEFAULT '',
	sort    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE material_kit_items (
	kit_id  INTEGER NOT NULL REFERENCES material_kits(id) ON DELETE CASCADE,
	item_id INTEGER NOT NULL REFERENCES material_items(id) ON DELETE CASCADE,
	PRIMARY KEY (kit_id, item_id)
);
CREATE TABLE material_grants (
	id          INTEGER PRIMARY KEY,
	kit_id      INTEGER REFERENCES material_kits(id) ON DELETE CASCADE,
	item_id     INTEGER REFERENCES material_items(id) ON DELETE CASCADE,
	category    TEXT NOT NULL DEFAULT '',
	delegation  TEXT NOT NULL DEFAULT '',
	attendee_id INTEGER REFERENCES attendees(id) ON DELETE CASCADE,
	CHECK ((kit_id IS NULL) != (item_id IS NULL))
);
CREATE VIEW material_due AS
	SELECT DISTINCT a.id AS attendee_id, coalesce(g.item_id, k.item_id) AS item_id
	FROM material_grants g
	LEFT JOIN material_kit_items k ON k.kit_id = g.kit_id
	JOIN attendees a ON a.status = 'active'
		AND (g.category = '' OR g.category = a.category)
		AND (g.attendee_id IS NULL OR g.attendee_id = a.id)
	LEFT JOIN delegations d ON d.id = a.delegation_id
	WHERE (g.delegation = '' OR g.delegation = d.name) AND coalesce(g.item_id, k.item_id) IS NOT NULL;
CREATE TABLE material_handouts (
	attendee_id INTEGER NOT NULL REFERENCES attendees(id) ON DELETE CASCADE,
	item_id     INTEGER NOT NULL REFERENCES material_items(id),
	at          TEXT NOT NULL,
	checkpoint  TEXT NOT NULL DEFAULT '', -- where: a checkpoint's code, '' at the desk by hand
	place       TEXT NOT NULL DEFAULT '', -- its name then, for 已领 and the sheets
	device      TEXT NOT NULL DEFAULT '',
	actor       TEXT NOT NULL DEFAULT '',
	manual      INTEGER NOT NULL DEFAULT 0,
	reason      TEXT NOT NULL DEFAULT '',
	scan_id     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (attendee_id, item_id)
);
CREATE INDEX material_handouts_item ON material_handouts(item_id);
`
