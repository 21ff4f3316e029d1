package rules

import "time"

// Handout is what a scan at a checkpoint that hands out materials (资料发放)
// came to: the items to hand over now, and those the person collected
// before, with when and where. Only the server decides it (the items and
// who has them are not in a kiosk's offline cache); an offline answer has
// none, and the handout is recorded when the queued scan is uploaded.
type Handout struct {
	Give    []HandoutItem `json:"give"`
	Already []HandoutItem `json:"already"`
}

// HandoutItem is one item of a handout.
type HandoutItem struct {
	Code   string     `json:"code"`
	Name   string     `json:"name"`
	NameEn string     `json:"name_en,omitempty"`
	At     *time.Time `json:"at,omitempty"`    // already: when it was collected
	Place  string     `json:"place,omitempty"` // already: where
}
