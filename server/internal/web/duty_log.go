package web

import (
	"github.com/gofiber/fiber/v2"

	"huiwu/server/internal/store"
)

// dutyEntryBody is an entry as the page sends it; the writer is never
// in it: it is the signed-in account.
type dutyEntryBody struct {
	Kind      string `json:"kind"`
	At        string `json:"at"`
	PlaceID   int64  `json:"place_id"`
	FromName  string `json:"from_name"`
	FromUnit  string `json:"from_unit"`
	FromPhone string `json:"from_phone"`
	Content   string `json:"content"`
	ToWhom    string `json:"to_whom"`
	Open      bool   `json:"open"`
	Outcome   string `json:"outcome"`
	Reason    string `json:"reason"`
}

func (s *Server) dutyInput(c *fiber.Ctx) (store.DutyInput, error) {
	var b dutyEntryBody
	if err := readJSON(c, &b); err != nil {
		return store.DutyInput{}, err
	}
	at, err := s.dutyTime(b.At)
	if err != nil {
		return store.DutyInput{}, dutyError(store.ErrDutyBadEntry)
	}
	return store.DutyInput{Kind: b.Kind, At: at, PlaceID: b.PlaceID, FromName: b.FromName, FromUnit: b.FromUnit, FromPhone: b.FromPhone,
		Content: b.Content, ToWhom: b.ToWhom, Open: b.Open, Outcome: b.Outcome, Reason: b.Reason}, nil
}

// dutyFilter reads the log's filters: ?day= or ?from=&until= (days),
// ?shift=, ?kind=, ?state=open|done, ?place=, ?q=.
func (s *Server) dutyFilter(c *fiber.Ctx) (store.DutyFilter, error) {
	f := store.DutyFilter{Shift: int64(c.QueryInt("shift")), Kind: c.Query("kind"), State: c.Query("state"),
		Place: int64(c.QueryInt("place")), Q: c.Query("q"), Limit: c.QueryInt("limit")}
	if c.Query("day") != "" || c.Query("from") != "" || c.Query("until") != "" {
		var err error
		if f.From, f.Until, err = s.dutyRange(c); err != nil {
			return f, err
		}
	}
	return f, nil
}

func (s *Server) handleDutyEntries(c *fiber.Ctx) error {
	f, err := s.dutyFilter(c)
	if err != nil {
		return err
	}
	list, err := s.DB.DutyEntries(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *Server) handleDutyEntryAdd(c *fiber.Ctx) error {
	in, err := s.dutyInput(c)
	if err != nil {
		return err
	}
	e, err := s.DB.AddDutyEntry(c.UserContext(), in, dutyWriter(c))
	if err != nil {
		return dutyError(err)
	}
	s.dutyChanged("entry", e.ID)
	return c.Status(fiber.StatusCreated).JSON(e)
}

func (s *Server) handleDutyEntry(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	e, err := s.DB.DutyEntry(c.UserContext(), int64(id))
	if err != nil {
		return dutyError(err)
	}
	return c.JSON(e)
}

func (s *Server) handleDutyEntryCorrect(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	in, err := s.dutyInput(c)
	if err != nil {
		return err
	}
	e, err := s.DB.CorrectDutyEntry(c.UserContext(), int64(id), in, dutyWriter(c))
	if err != nil {
		return dutyError(err)
	}
	s.dutyChanged("entry", e.ID)
	return c.JSON(e)
}

type dutyCloseBody struct {
	Outcome string `json:"outcome"`
}

func (s *Server) handleDutyEntryClose(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	var b dutyCloseBody
	if err := readJSON(c, &b); err != nil {
		return err
	}
	e, err := s.DB.CloseDutyEntry(c.UserContext(), int64(id), b.Outcome, dutyWriter(c))
	if err != nil {
		return dutyError(err)
	}
	s.dutyChanged("entry", e.ID)
	return c.JSON(e)
}

func (s *Server) handleDutyHandovers(c *fiber.Ctx) error {
	list, err := s.DB.DutyHandovers(c.UserContext(), int64(c.QueryInt("place")), c.QueryInt("limit", 50))
	if err != nil {
		return err
	}
	return c.JSON(list)
}

type dutyOfferBody struct {
	PlaceID int64  `json:"place_id"`
	Note    string `json:"note"`
}

// handleDutyHandoverOffer is 交班: the outgoing person (signed in) offers
// the place's open items to whoever comes next.
func (s *Server) handleDutyHandoverOffer(c *fiber.Ctx) error {
	var b dutyOfferBody
	if err := readJSON(c, &b); err != nil {
		return err
	}
	h, err := s.DB.OfferHandover(c.UserContext(), b.PlaceID, b.Note, dutyWriter(c))
	if err != nil {
		return dutyError(err)
	}
	s.dutyChanged("handover", h.ID)
	return c.JSON(h)
}

// handleDutyHandoverAccept is 接班: the incoming person, signed in on
// their own account, takes the open items over.
func (s *Server) handleDutyHandoverAccept(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return errNotFound
	}
	h, err := s.DB.AcceptHandover(c.UserContext(), int64(id), dutyWriter(c))
	if err != nil {
		return dutyError(err)
	}
	s.dutyChanged("handover", h.ID)
	return c.JSON(h)
}
