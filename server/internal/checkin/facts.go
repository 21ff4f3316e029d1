package checkin

import (
	"huiwu/kiosk/rules"
	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// Place is checkpoint cp as the rules take it.
func Place(cp *domain.Checkpoint) rules.Checkpoint {
	return rules.Checkpoint{ID: cp.ID, Kind: rules.Kind(cp.Kind), Venue: cp.Venue, Door: cp.Door}
}

// FaceMode is checkpoint cp's face check as it applies: off (empty)
// unless the event enables face verification.
func FaceMode(cat *store.Catalog, cp *domain.Checkpoint) string {
	if !cat.Event.FaceVerification || cp.Face == rules.FaceOff {
		return ""
	}
	return cp.Face
}

// Openings are the sessions (at an entrance or exit) or meals (at a dining
// hall) that checkpoint cp serves, in schedule order: its pinned one, or
// else every session in its venue, or every meal. The engine decides with
// them and the kiosk cache carries them.
func Openings(cat *store.Catalog, cp *domain.Checkpoint) []rules.Opening {
	var out []rules.Opening
	loc := cat.Location
	switch cp.Kind {
	case domain.CheckpointEntrance, domain.CheckpointExit:
		for _, sess := range cat.SessionList {
			if serves(cp, sess) {
				out = append(out, opening(cat, sess))
			}
		}
	case domain.CheckpointMeal:
		for _, m := range cat.MealList {
			if cp.Meal != "" && m.ID != cp.Meal {
				continue
			}
			out = append(out, rules.Opening{ID: m.ID, Name: m.Name, Opens: m.OpensAt.In(loc),
				Starts: m.OpensAt.In(loc), Closes: m.ClosesAt.In(loc)})
		}
	}
	return out
}

// Elsewhere are, at an entrance, the sessions it does not serve, in
// schedule order: a person expected at one of them that is open is sent
// there. Nil at any other kind of checkpoint.
func Elsewhere(cat *store.Catalog, cp *domain.Checkpoint) []rules.Opening {
	if cp.Kind != domain.CheckpointEntrance {
		return nil
	}
	var out []rules.Opening
	for _, sess := range cat.SessionList {
		if !serves(cp, sess) {
			out = append(out, opening(cat, sess))
		}
	}
	return out
}

// serves reports whether door or exit cp serves sess: its pinned session,
// or else every session in its venue.
func serves(cp *domain.Checkpoint, sess *store.Session) bool {
	if cp.Session != "" {
		return sess.ID == cp.Session
	}
	return sess.Venue == cp.Venue
}

// opening is sess as the rules take it, in the event's zone.
func opening(cat *store.Catalog, sess *store.Session) rules.Opening {
	loc, venue := cat.Location, cat.Venues[sess.Venue]
	return rules.Opening{ID: sess.ID, Name: sess.Name, Opens: sess.OpensAt.In(loc),
		Starts: sess.StartsAt.In(loc), Closes: sess.ClosesAt.In(loc),
		Venue: venue.Name, VenueEn: venue.NameEn, Hall: venue.Code, Group: sess.Kind == domain.SessionGroup}
}
