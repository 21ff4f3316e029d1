package demo

import (
	"fmt"

	"huiwu/server/internal/domain"
)

// The great hall (大会堂), seen from above with the stage at the top.
//
// Coordinates are metres: X grows to the audience's right (east), Y grows
// away from the stage. The presidium (主席台) is on the stage in two rows,
// row 1 at the front; its seats are numbered 1… left to right as the
// audience sees them, labelled "P-1-01".
//
// The floor has three sections, named as the audience sees them: A 左区
// (west), B 中区, C 右区 (east), 25 rows, row 1 at the front. Seats are
// numbered in the usual Chinese way, across the whole row from the centre
// out: facing the stage, odd numbers to the right (1, 3, 5 … from the centre
// of section B), even numbers to the left (2, 4, 6 …). The side sections
// carry on the same series: section A holds the even numbers after B's
// (16 … 30, 30 at the west wall), section C the odd ones (15 … 29). So one
// row reads, left to right:
//
//	A: 30 28 … 16 | B: 14 12 … 4 2 1 3 … 13 | C: 15 17 … 29
//
// and a seat's label is section-row-number, e.g. "B-5-12". A number alone
// says which side of the hall a seat is on, as on a theatre ticket.
//
// Doors: 西门 and 东门 in the side walls level with row 8, 正门 in the back
// wall. Each seat records the nearest one. Distances are kept in integer
// centimetres so that the coordinates are the same on every architecture.
const (
	hallRows     = 25
	seatWidth    = 56  // cm
	rowPitch     = 95  // cm
	aisleWidth   = 150 // cm, also the side aisles along the walls
	floorFront   = 600 // cm from the back of the stage to row 1
	stagePitch   = 100 // cm between presidium seats
	hallWidthCM  = 4*aisleWidth + (sideSeats*2+centreSeats)*seatWidth
	sideSeats    = 8
	centreSeats  = 14
	sideDoorRow  = 8
	cameraRow    = 13 // B-13-1 … B-13-4 are blocked for the television cameras
	roomCapacity = 270
	diningTables = 40
	tableSeats   = 10
)

// presidiumRows are the seats per presidium row, front row first. Both are
// odd so that the 以左为尊 centre-out order is symmetric.
var presidiumRows = []int{15, 17}

type door struct {
	name string
	x, y int // cm
}

var hallDoors = []door{
	{"东门", hallWidthCM, floorFront + (sideDoorRow-1)*rowPitch},
	{"西门", 0, floorFront + (sideDoorRow-1)*rowPitch},
	{"正门", hallWidthCM / 2, floorFront + hallRows*rowPitch},
}

func nearestDoor(x, y int) string {
	best, bestD := "", -1
	for _, d := range hallDoors {
		dist := (x-d.x)*(x-d.x) + (y-d.y)*(y-d.y)
		if bestD < 0 || dist < bestD {
			best, bestD = d.name, dist
		}
	}
	return best
}

// seatNumber is the number of the i-th seat (0-based, left to right as the
// audience sees them) of a section, following the scheme above.
func seatNumber(section string, i int) int {
	switch section {
	case "A":
		return centreSeats + 2*(sideSeats-i)
	case "B":
		if i < centreSeats/2 {
			return 2 * (centreSeats/2 - i)
		}
		return 2*(i-centreSeats/2) + 1
	default: // C
		return centreSeats + 1 + 2*i
	}
}

// floorKind marks the special seats: the front row of the side sections is
// kept free for speakers and the secretariat, the camera platform is
// blocked, and the seats at the row ends nearest the doors take wheelchairs.
func floorKind(section string, row, number int) domain.SeatKind {
	switch {
	case row == 1 && section != "B":
		return domain.SeatReserved
	case section == "B" && row == cameraRow && number <= 4:
		return domain.SeatBlocked
	case (row == sideDoorRow || row == sideDoorRow+1) && number >= 2*sideSeats+centreSeats-1:
		return domain.SeatWheelchair // the wall ends of A and C beside the side doors
	case section == "B" && row == hallRows && number >= centreSeats-1:
		return domain.SeatWheelchair // the aisle ends of B's last row, by 正门
	}
	return domain.SeatNormal
}

func hallSeats() []domain.Seat {
	var seats []domain.Seat
	for r, n := range presidiumRows {
		for i := range n {
			x := hallWidthCM/2 + (2*i-(n-1))*stagePitch/2
			y := 300 - 120*r
			seats = append(seats, domain.Seat{
				Label: fmt.Sprintf("P-%d-%02d", r+1, i+1), Section: "presidium", Row: r + 1, Number: i + 1,
				Kind: domain.SeatPresidium, Door: nearestDoor(x, y), X: metres(x), Y: metres(y),
			})
		}
	}
	sections := []struct {
		code  string
		seats int
	}{{"A", sideSeats}, {"B", centreSeats}, {"C", sideSeats}}
	for row := 1; row <= hallRows; row++ {
		x0 := aisleWidth
		y := floorFront + (row-1)*rowPitch
		for _, s := range sections {
			for i := range s.seats {
				x := x0 + i*seatWidth + seatWidth/2
				n := seatNumber(s.code, i)
				seats = append(seats, domain.Seat{
					Label: fmt.Sprintf("%s-%d-%d", s.code, row, n), Section: s.code, Row: row, Number: n,
					Kind: floorKind(s.code, row, n), Door: nearestDoor(x, y), X: metres(x), Y: metres(y),
				})
			}
			x0 += s.seats*seatWidth + aisleWidth
		}
	}
	return seats
}

func metres(cm int) float64 { return float64(cm) / 100 }

// hotelFloors: floors 03–05 have twin rooms (staff and press share), the
// top floor's first rooms are family rooms for three (someone with two
// companions), the rest single rooms; 24 rooms a floor, numbered "0801".
const (
	hotelFirstFloor  = 3
	hotelLastFloor   = 22
	hotelTwinFloors  = 3
	hotelFamilyRooms = 12
	roomsPerFloor    = 24
)

func buildVenues() []domain.Venue {
	seats := hallSeats()
	vs := []domain.Venue{{
		Code: "hall", Name: "大会堂", NameEn: "Great Hall", Kind: domain.VenueHall,
		Capacity: len(seats), Doors: []string{"东门", "西门", "正门"}, Seats: seats,
	}}
	for i, n := range []string{"一", "二"} {
		vs = append(vs, domain.Venue{
			Code: fmt.Sprintf("room%d", i+1), Name: n + "号会议室", NameEn: fmt.Sprintf("Meeting Room %d", i+1),
			Kind: domain.VenueRoom, Capacity: roomCapacity, Doors: []string{"正门"},
		})
	}
	for i, n := range []string{"一", "二"} {
		v := domain.Venue{
			Code: fmt.Sprintf("dining%d", i+1), Name: n + "号餐厅", NameEn: fmt.Sprintf("Dining Hall %d", i+1),
			Kind: domain.VenueDining, Capacity: diningTables * tableSeats, Doors: []string{"正门"},
		}
		for t := 1; t <= diningTables; t++ {
			v.Tables = append(v.Tables, domain.DiningTable{Number: t, Seats: tableSeats})
		}
		vs = append(vs, v)
	}
	hotel := domain.Venue{Code: "hotel", Name: "会议酒店", NameEn: "Conference Hotel",
		Kind: domain.VenueHotel, Doors: []string{"大堂"}}
	for f := hotelFirstFloor; f <= hotelLastFloor; f++ {
		beds := 1
		if f < hotelFirstFloor+hotelTwinFloors {
			beds = 2
		}
		for n := 1; n <= roomsPerFloor; n++ {
			r := domain.HotelRoom{Number: fmt.Sprintf("%02d%02d", f, n), Beds: beds}
			if f == hotelLastFloor && n <= hotelFamilyRooms {
				r.Beds = 3
			}
			hotel.Rooms = append(hotel.Rooms, r)
			hotel.Capacity += r.Beds
		}
	}
	return append(vs, hotel)
}
