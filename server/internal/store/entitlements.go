package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"huiwu/server/internal/eventdef"
)

// Entitlements follow from the definition's rules and the attendee list
// (API.md, "The event definition"): who is expected at each session, which
// hall and table serves each meal. recompute brings the stored rows in line
// with the rules, keeping the desk's per-person exceptions, and leaves alone
// what a scan has already decided: someone who entered a session stays on
// its list, a redeemed meal keeps its ticket. Cancelled attendees keep what
// they had, so reinstating one restores it. Lodging comes from the list's
// 房号 column and is not recomputed.

// ruleAttendee is what the rules look at.
type ruleAttendee struct {
	id                        int64
	category, delegation, grp string
	delegationSort, rank      int
}

func (r *ruleAttendee) matches(rule eventdef.Rule) bool {
	return rule.Matches(r.category, r.delegation, r.grp)
}

type exceptionKey struct {
	attendee  int64
	kind, ref string
}

type exception struct {
	mode  string // include, exclude, hall
	venue int64
}

// RecomputeEntitlements recomputes the entitlements of the attendees in ids
// (everybody when ids is nil) inside tx, for writers that change an
// attendee's category, delegation or group.
func RecomputeEntitlements(ctx context.Context, tx *sql.Tx, ids []int64) error {
	return recompute(ctx, tx, ids)
}

// recompute recomputes the entitlements of the attendees in only (every
// attendee when only is nil).
func recompute(ctx context.Context, tx *sql.Tx, only []int64) error {
	return recomputeWith(ctx, tx, only, nil)
}

// seatMemory remembers, from one recompute to the next, where each
// delegation's last member sat at each meal: an import recomputes its
// rows a hundred at a time, and a delegation split between two of those
// then still sits together where its table has room, as in one pass.
type seatMemory map[string]map[string]ticket // meal → delegation → ticket

// recomputeWith is recompute, seating at meals with mem (may be nil).
func recomputeWith(ctx context.Context, tx *sql.Tx, only []int64, mem seatMemory) error {
	if len(only) > 1000 {
		only = nil // cheaper than a long list
	}
	people, err := ruleAttendees(ctx, tx, only)
	if err != nil || len(people) == 0 {
		return err
	}
	exc, err := readExceptions(ctx, tx, only)
	if err != nil {
		return err
	}
	if err := recomputeSessions(ctx, tx, people, exc, only); err != nil {
		return err
	}
	return recomputeMeals(ctx, tx, people, exc, only, mem)
}

// inOnly is a WHERE fragment limiting column to the attendees in only.
// The ids travel as one JSON value, so that the statement's text is the
// same however many there are: SQLite parses it quickly, where a list of
// hundreds of placeholders costs more to parse than the query to run
// (an import recomputes a hundred rows at a time). The value is an object
// whose keys are the ids ({"12":0,"15":0}) because json_each reads an
// object's keys alike in SQLite and PostgreSQL (PostgreSQL's json_each
// refuses an array).
func inOnly(column string, only []int64) (string, []any) {
	if only == nil {
		return "1 = 1", nil
	}
	if len(only) == 0 {
		return "1 = 0", nil
	}
	b := make([]byte, 0, len(only)*10+2)
	b = append(b, '{')
	for i, id := range only {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = strconv.AppendInt(b, id, 10)
		b = append(b, `":0`...)
	}
	b = append(b, '}')
	return column + " IN (SELECT CAST(key AS BIGINT) FROM json_each(?))", []any{string(b)}
}

func ruleAttendees(ctx context.Context, tx *sql.Tx, only []int64) ([]*ruleAttendee, error) {
	where, args := inOnly("a.id", only)
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.category, coalesce(d.name, ''), coalesce(g.name, ''), coalesce(d.sort, 0), a.rank
		FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id LEFT JOIN groups g ON g.id = a.group_id
		WHERE a.status = 'active' AND `+where+` ORDER BY coalesce(d.sort, 1e9), a.rank, a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ruleAttendee
	for rows.Next() {
		r := &ruleAttendee{}
		if err := rows.Scan(&r.id, &r.category, &r.delegation, &r.grp, &r.delegationSort, &r.rank); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func readExceptions(ctx context.Context, tx *sql.Tx, only []int64) (map[exceptionKey]exception, error) {
	where, args := inOnly("attendee_id", only)
	rows, err := tx.QueryContext(ctx, `SELECT attendee_id, kind, ref, mode, coalesce(venue_id, 0) FROM entitlement_exceptions WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[exceptionKey]exception{}
	for rows.Next() {
		var k exceptionKey
		var e exception
		if err := rows.Scan(&k.attendee, &k.kind, &k.ref, &e.mode, &e.venue); err != nil {
			return nil, err
		}
		out[k] = e
	}
	return out, rows.Err()
}

type pair struct {
	ref      string
	attendee int64
}

// pairs reads (ref, attendee) pairs.
func pairs(ctx context.Context, tx *sql.Tx, q string, args ...any) (map[pair]bool, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[pair]bool{}
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.ref, &p.attendee); err != nil {
			return nil, err
		}
		out[p] = true
	}
	return out, rows.Err()
}

func recomputeSessions(ctx context.Context, tx *sql.Tx, people []*ruleAttendee, exc map[exceptionKey]exception, only []int64) error {
	type ruled struct {
		id   string
		rule eventdef.Rule
	}
	var sessions []ruled
	rows, err := tx.QueryContext(ctx, `SELECT id, expected FROM sessions WHERE expected IS NOT NULL ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var s ruled
		var js string
		if err := rows.Scan(&s.id, &js); err != nil {
			rows.Close()
			return err
		}
		if js != "" {
			if err := json.Unmarshal([]byte(js), &s.rule); err != nil {
				rows.Close()
				return fmt.Errorf("session %s: stored rule: %w", s.id, err)
			}
		}
		sessions = append(sessions, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(sessions) == 0 {
		return err
	}
	where, args := inOnly("attendee_id", only)
	have, err := pairs(ctx, tx, `SELECT session_id, attendee_id FROM session_attendees WHERE `+where, args...)
	if err != nil {
		return err
	}
	entered, err := pairs(ctx, tx, `SELECT session_id, attendee_id FROM presence WHERE `+where, args...)
	if err != nil {
		return err
	}
	add, err := tx.PrepareContext(ctx, `INSERT INTO session_attendees (session_id, attendee_id) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	defer add.Close()
	drop, err := tx.PrepareContext(ctx, `DELETE FROM session_attendees WHERE session_id = ? AND attendee_id = ?`)
	if err != nil {
		return err
	}
	defer drop.Close()
	for _, s := range sessions {
		for _, p := range people {
			want := p.matches(s.rule)
			switch exc[exceptionKey{p.id, "session", s.id}].mode {
			case "include":
				want = true
			case "exclude":
				want = false
			}
			k := pair{s.id, p.id}
			switch {
			case want && !have[k]:
				_, err = add.ExecContext(ctx, s.id, p.id)
			case !want && have[k] && !entered[k]:
				_, err = drop.ExecContext(ctx, s.id, p.id)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

type mealHall struct {
	venue int64
	rule  eventdef.Rule
}

type ticket struct {
	venue int64
	table int
}

func recomputeMeals(ctx context.Context, tx *sql.Tx, people []*ruleAttendee, exc map[exceptionKey]exception, only []int64, mem seatMemory) error {
	halls := map[string][]mealHall{}
	var meals []string
	rows, err := tx.QueryContext(ctx, `SELECT meal_id, venue_id, rule FROM meal_halls ORDER BY meal_id, position`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var meal, js string
		var h mealHall
		if err := rows.Scan(&meal, &h.venue, &js); err != nil {
			rows.Close()
			return err
		}
		_ = json.Unmarshal([]byte(js), &h.rule)
		if halls[meal] == nil {
			meals = append(meals, meal)
		}
		halls[meal] = append(halls[meal], h)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(meals) == 0 {
		return err
	}
	tables, err := readTables(ctx, tx)
	if err != nil {
		return err
	}
	var st ticketStatements
	if st.add, err = tx.PrepareContext(ctx, `INSERT INTO meal_tickets (meal_id, attendee_id, venue_id, table_no) VALUES (?, ?, ?, ?)`); err != nil {
		return err
	}
	defer st.add.Close()
	if st.drop, err = tx.PrepareContext(ctx, `DELETE FROM meal_tickets WHERE meal_id = ? AND attendee_id = ?`); err != nil {
		return err
	}
	defer st.drop.Close()
	for _, meal := range meals {
		lastTable := map[string]ticket{} // delegation → where its last member was seated
		if mem != nil {
			if m, ok := mem[meal]; ok {
				lastTable = m
			} else {
				mem[meal] = lastTable
			}
		}
		if err := recomputeMeal(ctx, tx, st, meal, halls[meal], tables, people, exc, only, lastTable); err != nil {
			return fmt.Errorf("meal %s: %w", meal, err)
		}
	}
	return nil
}

// readTables reads each dining hall's tables and their seats, in number
// order.
func readTables(ctx context.Context, tx *sql.Tx) (map[int64][][2]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT venue_id, number, seats FROM dining_tables ORDER BY venue_id, number`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][][2]int{}
	for rows.Next() {
		var v int64
		var n, seats int
		if err := rows.Scan(&v, &n, &seats); err != nil {
			return nil, err
		}
		out[v] = append(out[v], [2]int{n, seats})
	}
	return out, rows.Err()
}

// ticketStatements add and drop meal tickets, prepared once per recompute.
type ticketStatements struct{ add, drop *sql.Stmt }

// recomputeMeal gives each attendee the hall the rules (or an exception)
// say, keeping a ticket whose hall is unchanged, and seats newcomers at the
// first table with room, beside their own delegation where it can.
func recomputeMeal(ctx context.Context, tx *sql.Tx, st ticketStatements, meal string, halls []mealHall, tables map[int64][][2]int,
	people []*ruleAttendee, exc map[exceptionKey]exception, only []int64, lastTable map[string]ticket) error {
	// The seats taken at each table are counted over everybody, table by
	// table from the index on (meal, hall, table), and come back as one
	// JSON row (database/sql's cost per row would be most of it); the
	// tickets themselves are read only for the people recomputed. So
	// recomputing a hundred people (a batch of an import) costs the same
	// whether the meal has a thousand tickets or fifty thousand. The JSON
	// is put together with string_agg, which SQLite and PostgreSQL share.
	var counts string
	if err := tx.QueryRowContext(ctx, `SELECT '[' || coalesce(string_agg('[' || CAST(dt.venue_id AS TEXT) || ',' || CAST(dt.number AS TEXT) || ',' ||
		CAST((SELECT count(*) FROM meal_tickets t WHERE t.meal_id = ?1 AND t.venue_id = dt.venue_id AND t.table_no = dt.number) AS TEXT) || ']', ','), '') || ']'
		FROM dining_tables dt`, meal).Scan(&counts); err != nil {
		return err
	}
	var perTable [][3]int64
	if err := json.Unmarshal([]byte(counts), &perTable); err != nil {
		return err
	}
	used := make(map[ticket]int, len(perTable))
	for _, c := range perTable {
		used[ticket{venue: c[0], table: int(c[1])}] = int(c[2])
	}
	have := map[int64]ticket{}
	redeemed := map[int64]bool{}
	where, args := inOnly("t.attendee_id", only)
	rows, err := tx.QueryContext(ctx, `SELECT t.attendee_id, t.venue_id, t.table_no, EXISTS (SELECT 1 FROM meal_redemptions r
		WHERE r.meal_id = t.meal_id AND r.attendee_id = t.attendee_id) FROM meal_tickets t WHERE t.meal_id = ? AND `+where,
		append([]any{meal}, args...)...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var t ticket
		var r bool
		if err := rows.Scan(&id, &t.venue, &t.table, &r); err != nil {
			rows.Close()
			return err
		}
		have[id], redeemed[id] = t, r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// A hall's tables as a set, and its seats left: a ticket without a
	// table (0) stands while its hall is full.
	tableSet := map[int64]map[int]bool{}
	free := map[int64]int{}
	for venue, list := range tables {
		tableSet[venue] = make(map[int]bool, len(list))
		for _, t := range list {
			tableSet[venue][t[0]] = true
			free[venue] += t[1] - used[ticket{venue, t[0]}]
		}
	}
	validTable := func(t ticket) bool {
		if t.table == 0 {
			return len(tables[t.venue]) == 0 || free[t.venue] <= 0
		}
		return tableSet[t.venue][t.table]
	}
	for _, p := range people {
		want := int64(0)
		e, ok := exc[exceptionKey{p.id, "meal", meal}]
		if !ok {
			e, ok = exc[exceptionKey{p.id, "meal", "*"}]
		}
		switch {
		case ok && e.mode == "hall":
			want = e.venue
		case ok && e.mode == "exclude":
		default:
			for _, h := range halls {
				if p.matches(h.rule) {
					want = h.venue
					break
				}
			}
		}
		cur, has := have[p.id]
		if redeemed[p.id] || (has && want == cur.venue && validTable(cur)) {
			lastTable[p.delegation] = cur
			continue
		}
		if has {
			used[cur]--
			if tableSet[cur.venue][cur.table] {
				free[cur.venue]++
			}
			if _, err := st.drop.ExecContext(ctx, meal, p.id); err != nil {
				return err
			}
		}
		if want == 0 {
			continue
		}
		t := ticket{venue: want}
		if free[want] > 0 {
			t.table = pickTable(want, tables[want], used, lastTable[p.delegation], p.delegation != "")
			free[want]--
		}
		used[t]++
		lastTable[p.delegation] = t
		if _, err := st.add.ExecContext(ctx, meal, p.id, t.venue, t.table); err != nil {
			return err
		}
	}
	return nil
}

// pickTable chooses a table in hall: beside the delegation's last member
// when that table has room, else the lowest-numbered table with room; 0
// (no table yet) when the hall has no tables or all are full.
func pickTable(hall int64, tables [][2]int, used map[ticket]int, last ticket, byDelegation bool) int {
	if byDelegation && last.venue == hall && last.table > 0 {
		for _, t := range tables {
			if t[0] == last.table && used[ticket{hall, t[0]}] < t[1] {
				return t[0]
			}
		}
	}
	for _, t := range tables {
		if used[ticket{hall, t[0]}] < t[1] {
			return t[0]
		}
	}
	return 0
}

// expectedCounts counts each session's 应到 over the categories that count
// for it (its quorum's, else the voting ones), as the attendance views do.
func expectedCounts(ctx context.Context, tx *sql.Tx, d eventdef.Definition) (map[string]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT sa.session_id, a.category, count(*) FROM session_attendees sa
		JOIN attendees a ON a.id = sa.attendee_id AND a.status = 'active' GROUP BY sa.session_id, a.category`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byCat := map[string]map[string]int{}
	for rows.Next() {
		var s, c string
		var n int
		if err := rows.Scan(&s, &c, &n); err != nil {
			return nil, err
		}
		if byCat[s] == nil {
			byCat[s] = map[string]int{}
		}
		byCat[s][c] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, s := range d.Sessions {
		for _, c := range countingCategories(d, s) {
			out[s.ID] += byCat[s.ID][c]
		}
	}
	return out, nil
}

func countingCategories(d eventdef.Definition, s eventdef.Session) []string {
	if s.Quorum != nil && len(s.Quorum.Categories) > 0 {
		return s.Quorum.Categories
	}
	var out []string
	for _, c := range d.Categories {
		if c.Voting {
			out = append(out, c.Code)
		}
	}
	return out
}

// expectedEffects says, per session whose 应到 moves, from what to what.
func expectedEffects(d eventdef.Definition, before, after map[string]int) []eventdef.Text {
	var out []eventdef.Text
	for _, s := range d.Sessions {
		b, a := before[s.ID], after[s.ID]
		if a == b {
			continue
		}
		out = append(out, eventdef.Text{Zh: fmt.Sprintf("%s 应到 %d → %d", s.Name, b, a), En: fmt.Sprintf("%s expected %d → %d", cmp.Or(s.NameEn, s.Name), b, a)})
	}
	return out
}
