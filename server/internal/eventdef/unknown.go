package eventdef

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// findUnknownField walks a body the decoder refused for an unknown field
// and answers that field's error with its path ("sessions[2].open_at"):
// encoding/json names the field but not where it is. The walk follows
// Definition's types, matching names as the decoder does (case aside).
func findUnknownField(body []byte) (Error, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	e, found, _ := walkUnknown(dec, reflect.TypeFor[Definition](), "")
	return e, found
}

// walkUnknown reads one JSON value of type t from dec and answers the
// first field in it that t has no place for.
func walkUnknown(dec *json.Decoder, t reflect.Type, path string) (Error, bool, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := dec.Token()
	if err != nil {
		return Error{}, false, err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return Error{}, false, nil // a scalar
	}
	switch {
	case delim == '{' && t.Kind() == reflect.Struct:
		fields := jsonFields(t)
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return Error{}, false, err
			}
			key, _ := tok.(string)
			p := key
			if path != "" {
				p = path + "." + key
			}
			ft, known := fieldType(fields, key)
			if !known {
				names := make([]string, 0, len(fields))
				for _, f := range fields {
					names = append(names, f.name)
				}
				return unknownFieldError(p, key, names), true, nil
			}
			if e, found, err := walkUnknown(dec, ft, p); found || err != nil {
				return e, found, err
			}
		}
	case delim == '[' && t.Kind() == reflect.Slice:
		for i := 0; dec.More(); i++ {
			if e, found, err := walkUnknown(dec, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); found || err != nil {
				return e, found, err
			}
		}
	default:
		// A value of the wrong shape: the decoder reports it as such.
		for depth := 1; depth > 0; {
			tok, err := dec.Token()
			if err != nil {
				return Error{}, false, err
			}
			switch tok {
			case json.Delim('{'), json.Delim('['):
				depth++
			case json.Delim('}'), json.Delim(']'):
				depth--
			}
		}
		return Error{}, false, nil
	}
	_, err = dec.Token() // the closing } or ]
	return Error{}, false, err
}

type jsonField struct {
	name string
	typ  reflect.Type
}

// jsonFields are the JSON names of a struct's fields, those of embedded
// structs (MealHall's Rule) included.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || !f.IsExported():
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			out = append(out, jsonFields(f.Type)...)
		default:
			out = append(out, jsonField{name: cmp.Or(name, f.Name), typ: f.Type})
		}
	}
	return out
}

// fieldType finds key among fields: exactly, or else in another case, as
// encoding/json does.
func fieldType(fields []jsonField, key string) (reflect.Type, bool) {
	for _, f := range fields {
		if f.name == key {
			return f.typ, true
		}
	}
	for _, f := range fields {
		if strings.EqualFold(f.name, key) {
			return f.typ, true
		}
	}
	return nil, false
}

// unknownFieldError names a field nothing has a place for and, when one of
// the names that fit there is close to it, the one probably meant.
func unknownFieldError(path, key string, known []string) Error {
	zh := fmt.Sprintf("未知字段“%s”，未做任何修改", key)
	en := fmt.Sprintf("unknown field %q; nothing was changed", key)
	if near := nearest(key, known); near != "" {
		zh = fmt.Sprintf("未知字段“%s”（是否应为“%s”？），未做任何修改", key, near)
		en = fmt.Sprintf("unknown field %q (did you mean %q?); nothing was changed", key, near)
	}
	return Error{Path: path, Code: CodeUnknownField, Message: Text{Zh: zh, En: en}}
}

// nearest is the name in names fewest edits away from s, if it is at most
// two edits (one for a short name) away.
func nearest(s string, names []string) string {
	best, bestD := "", 3
	if len(s) <= 4 {
		bestD = 2
	}
	for _, n := range names {
		if d := editDistance(strings.ToLower(s), n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
