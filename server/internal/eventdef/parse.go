package eventdef

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The parts of a definition, as named in its JSON.
const (
	PartEvent       = "event"
	PartCategories  = "categories"
	PartVenues      = "venues"
	PartSessions    = "sessions"
	PartMeals       = "meals"
	PartCheckpoints = "checkpoints"
)

// Parts lists the parts in the order they are applied and reported.
var Parts = []string{PartEvent, PartCategories, PartVenues, PartSessions, PartMeals, PartCheckpoints}

// Given is the set of parts a PUT body named. A part left out is left as it
// is; a part given replaces what is stored (its items matched by code).
type Given map[string]bool

// All is every part: a whole definition.
func All() Given {
	g := Given{}
	for _, p := range Parts {
		g[p] = true
	}
	return g
}

// Parse reads a PUT body: the definition and which parts it gives. Syntax
// and type errors come back as Errors with the offending path where the
// decoder says it.
func Parse(body []byte) (Definition, Given, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return Definition{}, nil, Errors{syntaxError("", err)}
	}
	given := Given{}
	for k := range raw {
		known := false
		for _, p := range Parts {
			if k == p {
				known = true
			}
		}
		if !known {
			return Definition{}, nil, Errors{unknownFieldError(k, k, Parts)}
		}
		given[k] = true
	}
	var d Definition
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil && !errors.Is(err, io.EOF) {
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			if e, ok := findUnknownField(body); ok {
				return Definition{}, nil, Errors{e}
			}
		}
		return Definition{}, nil, Errors{syntaxError("", err)}
	}
	return d, given, nil
}

func syntaxError(path string, err error) Error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		p := te.Field
		if p == "" {
			p = path
		}
		return Error{Path: p, Code: CodeSyntax, Message: Text{
			Zh: fmt.Sprintf("类型不对：应为 %s，实为 JSON %s", te.Type, te.Value),
			En: fmt.Sprintf("wrong type: expected %s, got JSON %s", te.Type, te.Value)}}
	}
	return Error{Path: path, Code: CodeSyntax, Message: Text{
		Zh: "无法解析 JSON：" + err.Error(), En: "cannot parse JSON: " + err.Error()}}
}

// Merge returns current with the parts named in given taken from next.
func Merge(current, next Definition, given Given) Definition {
	out := current
	if given[PartEvent] {
		out.Event = next.Event
	}
	if given[PartCategories] {
		out.Categories = next.Categories
	}
	if given[PartVenues] {
		out.Venues = next.Venues
	}
	if given[PartSessions] {
		out.Sessions = next.Sessions
	}
	if given[PartMeals] {
		out.Meals = next.Meals
	}
	if given[PartCheckpoints] {
		out.Checkpoints = next.Checkpoints
	}
	return out
}
