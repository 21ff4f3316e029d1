package demo

import (
	"context"
	"fmt"

	"huiwu/server/internal/store"
)

// fleet is the secretariat's vehicles in the demo (issue 12.2): cars for
// leaders and small parties, business vans, a coaster and a coach for the
// trains that bring whole delegations. Seats are for passengers, the
// driver not counted. Plates and phones are made up (137 0000 …).
var fleet = []store.Vehicle{
	{Code: "car1", Kind: "car", Seats: 4, Plate: "云A·H1021", Driver: "周建平", DriverPhone: "13700001021", Notes: "领导用车"},
	{Code: "car2", Kind: "car", Seats: 4, Plate: "云A·H1022", Driver: "吴志刚", DriverPhone: "13700001022"},
	{Code: "van1", Kind: "van", Seats: 7, Plate: "云A·H2031", Driver: "郑国强", DriverPhone: "13700002031"},
	{Code: "van2", Kind: "van", Seats: 7, Plate: "云A·H2032", Driver: "王海涛", DriverPhone: "13700002032"},
	{Code: "bus1", Kind: "bus", Seats: 19, Plate: "云A·H3041", Driver: "刘德明", DriverPhone: "13700003041", Notes: "考斯特中巴"},
	{Code: "bus2", Kind: "bus", Seats: 45, Plate: "云A·H3042", Driver: "陈永福", DriverPhone: "13700003042", Notes: "大客车"},
}

// contact is whom the demo's drivers call: the secretariat's transport
// desk.
var contact = store.TransportContact{Name: "会务组交通组 马丽", Phone: "0871-65550123"}

// loadVehicles stores the demo's fleet and the drivers' contact.
func loadVehicles(ctx context.Context, db *store.DB) error {
	for i, v := range fleet {
		v.Sort = i + 1
		if _, err := db.SaveVehicle(ctx, v, "demo"); err != nil {
			return fmt.Errorf("demo: vehicle %s: %w", v.Code, err)
		}
	}
	if _, err := db.SetTransportContact(ctx, contact, "demo"); err != nil {
		return fmt.Errorf("demo: transport contact: %w", err)
	}
	return nil
}
