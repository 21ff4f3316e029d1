// Package summary makes the 会务总结: after the meeting, one PDF with what
// the secretariat reports — attendance per session with the chair's
// sentences, arrival curves, meals served, materials handed out,
// confidential copies returned, logistics, the duty log and incidents —
// with charts drawn as pictures. Load reads the figures through the store,
// exports and attendance packages (it holds no SQL); Write draws a Report,
// so every section can be drawn from plain test data.
package summary

import "time"

// Report is everything the summary shows. A part left nil (Materials,
// Documents, Duty) is one this server does not record yet: its section
// says so rather than show zeros.
type Report struct {
	Event   string
	EventEn string
	// First and Last are the meeting's first and last days.
	First, Last time.Time
	Made        time.Time // when the report was made, on the event's clock
	Actor       string

	Sessions  []Session
	Meals     []Meal
	Materials *Materials
	Documents *Documents
	Duty      *Duty
	Logistics Logistics
	Incidents Incidents
}

// Session is one session's attendance. The figures count the session's
// counted categories (Basis), as the chair's page does; the arrival curve
// counts everyone expected (CurveBasis), as the 签到表 does.
type Session struct {
	Name, NameEn string
	Plenary      bool
	Venue        string
	Starts       time.Time
	Started      bool // the session had started when the report was made

	Expected, Present, OnLeave, NotYet, Absent, Left, Entered, Late int

	Basis                  string // e.g. 按代表计（列席、工作人员等不计）
	BasisShort             string // e.g. 按代表计
	Statement, StatementEn string // the chair's sentence, as /chair shows it
	QuorumMet              bool
	QuorumRequired         int

	Curve         []Point
	CurveExpected int    // everyone expected, all categories
	CurveBasis    string // whom the curve counts
}

// Rate is 到会 (everyone who came, 实到 + 离场) over 应到.
func (s Session) Rate() float64 {
	if s.Expected == 0 {
		return 0
	}
	return float64(s.Entered) / float64(s.Expected)
}

// Point is ten minutes of an arrival curve.
type Point struct {
	At         time.Time
	Arrived    int
	Cumulative int
}

// Meal is one meal at one dining hall.
type Meal struct {
	Meal     string // e.g. 3月5日午餐
	Hall     string
	Entitled int
	Served   int
}

// Materials are the items handed out (资料发放).
type Materials struct{ Items []Item }

// Item is one item's count: how many were due and how many handed out.
type Item struct {
	Name, NameEn string
	Due, Given   int
}

// Documents are the numbered confidential documents (涉密文件清退).
type Documents struct{ Docs []Document }

// Document is one confidential document's copies.
type Document struct {
	Title, Number, Classification string
	Copies, Issued, Returned, Out int
	OutCopies                     []string // the copy numbers still out
}

// Duty is the duty log's figures (值班记录).
type Duty struct {
	Shifts, Entries, Open, Closed int
	ByKind                        map[string]int
	OpenItems                     []DutyItem
}

// DutyItem is an entry still open.
type DutyItem struct {
	At                  time.Time
	Kind, Summary, From string
}

// Logistics are the travel and hotel figures.
type Logistics struct {
	Arrivals       LegStates // 接站
	Departures     LegStates // 送站
	ArrivalsByHour []Hour
	Tickets        map[string]int // departures by ticket: needed, booked, self
	Vehicles, Runs int
	RunsDone       int
	Stranded       int // 滞留
	Nights         []Night
}

// LegStates counts live travel legs by state.
type LegStates struct {
	Total                                    int
	Expected, PickedUp, Missed, Changed, Out int // Out: departed
}

// Hour is the arrivals expected in one hour.
type Hour struct {
	At time.Time
	N  int
}

// Night is one night at one hotel: rooms occupied and heads.
type Night struct {
	Hotel            string
	Night            string // YYYY-MM-DD
	Rooms, Occupied  int
	Heads, CheckedIn int
}

// Incidents are scans refused and what was revoked.
type Incidents struct {
	Scans    map[string]int // scans by status, all of them
	Badges   map[string]int // revoked badges by reason
	Devices  []Device       // revoked devices
	Accounts int            // revoked staff accounts
}

// Device is a revoked device.
type Device struct {
	Name, Kind string
	At         time.Time
}
