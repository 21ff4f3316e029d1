package web_test

import (
	"fmt"
	"testing"
	"time"

	"huiwu/server/internal/testkit"
)

// TestPickupRebookEarlierToday: 改签 to a time already past today, at the
// same station (the traveller came on an earlier train), keeps the person
// on today's list: the new leg in place of the old, shown late, and the
// other arrivals still there. Midnight is the one time of day already
// past whenever the test runs.
func TestPickupRebookEarlierToday(t *testing.T) {
	t.Parallel()
	d := testkit.NewLogisticsDay(t)
	srv := d.Server
	staff := d.User(t, "logistics")
	today := time.Now().In(d.Loc).Format(time.DateOnly)
	var next pickupRow
	if st := srv.Call("POST", fmt.Sprintf("/pickup/legs/%d/rebook", d.Soon.ID), staff,
		map[string]string{"on_date": today, "time": "00:00", "number": "MU5099"}, &next); st != 200 {
		t.Fatalf("rebook: HTTP %d", st)
	}
	if next.Replaces != d.Soon.ID || next.Number != "MU5099" {
		t.Errorf("rebooked: %+v", next)
	}
	var list struct {
		Rows []pickupRow `json:"rows"`
	}
	if st := srv.Call("GET", fmt.Sprintf("/pickup/arrivals?station=%d", d.Airport.ID), staff, nil, &list); st != 200 {
		t.Fatalf("arrivals: HTTP %d", st)
	}
	ids := map[int64]string{}
	for _, r := range list.Rows {
		ids[r.ID] = r.Status
	}
	if len(list.Rows) != 2 || ids[d.Late.ID] == "" || ids[next.ID] == "" {
		t.Errorf("today's airport list after 改签 to 00:00: %+v (want the late arrival %d and the new leg %d)", list.Rows, d.Late.ID, next.ID)
	}
	if ids[next.ID] != "late" {
		t.Errorf("the new leg at 00:00 shows %q, want late", ids[next.ID])
	}
}
