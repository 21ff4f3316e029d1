package store

import "strings"

// pgTrigger renders a SQLite CREATE TRIGGER as PostgreSQL's pair: a
// PL/pgSQL function of the trigger's name doing the trigger's body, and a
// trigger of the same name on the same table and event calling it, FOR
// EACH ROW as every SQLite trigger is. In the body,
//
//	SELECT RAISE(ABORT, 'msg') [WHERE cond];
//
// becomes RAISE EXCEPTION with the same message (the Go code matches it),
// under IF cond; other statements are translated word for word. A BEFORE
// DELETE trigger that refuses every row refuses TRUNCATE too, which SQLite
// has no statement for and which would otherwise empty an append-only
// table. ok is false for a trigger it cannot read (INSTEAD OF, no BEGIN…END).
func pgTrigger(stmt []sqlToken) (pg string, ok bool) {
	var sig []int // indexes of the significant tokens
	for i, t := range stmt {
		if t.kind != tokSpace {
			sig = append(sig, i)
		}
	}
	word := func(k int) string {
		if k < len(sig) && stmt[sig[k]].kind == tokWord {
			return strings.ToUpper(stmt[sig[k]].text)
		}
		return ""
	}
	k := 1 // after CREATE
	if w := word(k); w == "TEMP" || w == "TEMPORARY" {
		k++
	}
	k++ // TRIGGER
	if word(k) == "IF" {
		k += 3 // IF NOT EXISTS
	}
	if k >= len(sig) {
		return "", false
	}
	name := stmt[sig[k]].text
	k++
	timing := word(k)
	if timing != "BEFORE" && timing != "AFTER" {
		return "", false
	}
	k++
	eventFrom := k
	for k < len(sig) && word(k) != "ON" {
		k++
	}
	if k+1 >= len(sig) {
		return "", false
	}
	op := word(eventFrom)
	event := strings.TrimSpace(sqlText(stmt[sig[eventFrom]:sig[k]]))
	table := stmt[sig[k+1]].text
	k += 2
	if word(k) == "FOR" {
		k += 3 // FOR EACH ROW
	}
	var when string
	if word(k) == "WHEN" {
		from := k + 1
		for k < len(sig) && word(k) != "BEGIN" {
			k++
		}
		when = pgTranslate(stmt[sig[from]:sig[k]])
	}
	last := len(sig) - 1
	if word(k) != "BEGIN" || word(last) != "END" {
		return "", false
	}
	body, refusesAll := pgTriggerBody(stmt[sig[k]+1 : sig[last]])

	var b strings.Builder
	b.WriteString("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n")
	b.WriteString(body)
	switch {
	case timing == "AFTER":
		b.WriteString("\tRETURN NULL;\n")
	case op == "DELETE":
		b.WriteString("\tRETURN OLD;\n")
	default:
		b.WriteString("\tRETURN NEW;\n")
	}
	b.WriteString("END $$;\n")
	b.WriteString("CREATE TRIGGER " + name + " " + timing + " " + event + " ON " + table + " FOR EACH ROW")
	if when != "" {
		b.WriteString(" WHEN (" + when + ")")
	}
	b.WriteString(" EXECUTE FUNCTION " + name + "();\n")
	if timing == "BEFORE" && op == "DELETE" && when == "" && refusesAll {
		b.WriteString("CREATE TRIGGER " + name + "_truncate BEFORE TRUNCATE ON " + table +
			" FOR EACH STATEMENT EXECUTE FUNCTION " + name + "();\n")
	}
	return b.String(), true
}

// pgTriggerBody renders a SQLite trigger body's statements as PL/pgSQL,
// and reports whether the body is one unconditional RAISE.
func pgTriggerBody(body []sqlToken) (string, bool) {
	var b strings.Builder
	var stmts [][]sqlToken
	var cur []sqlToken
	for _, t := range body {
		if t.kind == tokPunct && t.text == ";" {
			stmts = append(stmts, cur)
			cur = nil
			continue
		}
		cur = append(cur, t)
	}
	stmts = append(stmts, cur)
	n, unconditional := 0, 0
	for _, s := range stmts {
		if lastSignificant(s) < 0 {
			continue
		}
		n++
		msg, cond, isRaise := sqliteRaise(s)
		switch {
		case isRaise && cond == nil:
			unconditional++
			b.WriteString("\tRAISE EXCEPTION " + msg + ";\n")
		case isRaise:
			b.WriteString("\tIF " + pgTranslate(cond) + " THEN\n\t\tRAISE EXCEPTION " + msg + ";\n\tEND IF;\n")
		default:
			b.WriteString("\t" + pgTranslate(s) + ";\n")
		}
	}
	return b.String(), n == 1 && unconditional == 1
}

// sqliteRaise reads "SELECT RAISE(ABORT, 'msg') [WHERE cond]": the message
// as a PL/pgSQL format literal (a % doubled), and the condition's tokens
// (nil without WHERE).
func sqliteRaise(s []sqlToken) (msg string, cond []sqlToken, ok bool) {
	var sig []int
	for i, t := range s {
		if t.kind != tokSpace {
			sig = append(sig, i)
		}
	}
	want := []string{"SELECT", "RAISE", "(", "", ",", "", ")"}
	if len(sig) < len(want) {
		return "", nil, false
	}
	for i, w := range want {
		t := s[sig[i]]
		switch {
		case i == 3:
			if a := strings.ToUpper(t.text); a != "ABORT" && a != "FAIL" && a != "ROLLBACK" {
				return "", nil, false
			}
		case i == 5:
			if t.kind != tokString {
				return "", nil, false
			}
			msg = strings.ReplaceAll(t.text, "%", "%%")
		case !strings.EqualFold(t.text, w):
			return "", nil, false
		}
	}
	rest := sig[len(want):]
	if len(rest) == 0 {
		return msg, nil, true
	}
	if !strings.EqualFold(s[rest[0]].text, "WHERE") || len(rest) < 2 {
		return "", nil, false
	}
	return msg, s[rest[1]:], true
}

// sqlText joins tokens back into text.
func sqlText(toks []sqlToken) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.text)
	}
	return b.String()
}
