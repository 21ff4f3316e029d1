package store

// schemaFaceModes stores the switches of 刷脸 and the glance check
// (issue 15.3–15.4) that the event definition carries: whether the event
// lets checkpoints check faces at all, and per checkpoint whether the
// holder's photo is shown and how a face check counts ('advise': a
// mismatch calls the usher; 'enforce': it is refused). Off by default.
// With them, the event's badge layout (issue 15.2): the size the desk
// prints on unless one print asks for another; a -photo layout prints the
// photo. Checked against the embedded templates by eventdef, not here:
// the templates change with a build, the schema does not.
const schemaFaceModes = `
ALTER TABLE event ADD COLUMN face_verification INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event ADD COLUMN badge_layout TEXT NOT NULL DEFAULT 'cr80';
ALTER TABLE checkpoints ADD COLUMN photo_check INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkpoints ADD COLUMN face TEXT NOT NULL DEFAULT 'off' CHECK (face IN ('off', 'advise', 'enforce'));
`
