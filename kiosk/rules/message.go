package rules

import (
	"fmt"
	"slices"
	"time"
)

// message writes the sentence a kiosk shows for a decided scan, Chinese
// first; the kiosk adds colour and guidance around it. Times are read in
// the zone the result carries them in (the event's).
func message(kind Kind, r *Result) Message {
	first := ""
	if r.FirstAt != nil {
		first = clock(*r.FirstAt)
	}
	switch r.Status {
	case StatusOK:
		switch kind {
		case Meal:
			return Message{"核销成功，请用餐", "Meal ticket accepted, enjoy your meal"}
		case Lodging:
			return Message{"入住登记成功", "Hotel check-in done"}
		}
		m := Message{"签到成功", "Checked in"}
		if r.Late {
			m = Message{"签到成功（迟到）", "Checked in (late)"}
		}
		if slices.Contains(r.Flags, FlagLeaveWithdrawn) {
			m.Zh += "，请假已撤销"
			m.En += "; your leave is withdrawn"
		}
		return m
	case StatusAlready:
		if kind == Lodging {
			return Message{fmt.Sprintf("已于 %s 办理入住", first), fmt.Sprintf("Already checked in to the hotel at %s", first)}
		}
		return Message{fmt.Sprintf("已签到（%s）", first), fmt.Sprintf("Already checked in at %s", first)}
	case StatusReentry:
		return Message{"再次入场", "Welcome back"}
	case StatusExit:
		switch r.Code {
		case CodeExitWithoutEntry:
			return Message{"离场已记录（未见入场签到）", "Exit recorded (no entry on record)"}
		case CodeExitAgain:
			return Message{"已离场", "Already left"}
		}
		return Message{"离场已记录", "Exit recorded"}
	case StatusMealUsed:
		return Message{fmt.Sprintf("本餐已于 %s 使用", first), fmt.Sprintf("This meal was already used at %s", first)}
	case StatusNotEntitled:
		switch r.Code {
		case CodeFaceMismatch:
			return Message{"人脸核验未通过，请稍候，工作人员马上到", "Your face did not match the badge: please wait, a member of staff is coming"}
		case CodeFaceNotSeen:
			return Message{"未检测到人脸，请正对摄像头后重新扫码", "No face was seen: please face the camera and scan again"}
		case CodeWrongHall, CodeWrongVenue:
			g := r.Guidance
			return Message{"请到" + g.Venue, "Please go to " + or(g.VenueEn, g.Venue)}
		case CodeWrongDoor:
			return Message{fmt.Sprintf("「%s」请走其他入口", r.Window.Name), "Please use another entrance for your session"}
		case CodeNoMealTicket:
			return Message{"无本餐用餐安排，请到报到处", "No ticket for this meal, please see the desk"}
		case CodeNoLodging:
			return Message{"无住宿安排，请到报到处", "No room booked, please see the desk"}
		case CodeWrongHotel:
			g := r.Guidance
			return Message{fmt.Sprintf("请到%s办理入住", g.Hotel), "Please check in at " + or(g.HotelEn, g.Hotel)}
		}
		return Message{"不在本场次名单中，请到报到处", "Not on the list for this session, please see the desk"}
	case StatusOutsideWindow:
		if w := r.Window; w != nil {
			return Message{
				fmt.Sprintf("%s 签到时间为 %s–%s", w.Name, clock(w.Opens), clock(w.Closes)),
				fmt.Sprintf("Check-in for this is open %s–%s", clock(w.Opens), clock(w.Closes)),
			}
		}
		if kind == Meal {
			return Message{"现在不是用餐时间", "No meal is being served now"}
		}
		return Message{"现在没有可签到的会议", "No session is open for check-in here now"}
	case StatusRevoked:
		return Message{"证件已作废，请到报到处", "This badge has been replaced, please see the desk"}
	case StatusCancelled:
		return Message{"参会资格已取消，请到报到处", "Registration cancelled, please see the desk"}
	}
	switch r.Code {
	case CodeOtherEvent:
		return Message{"这是其他会议的证件，请到报到处", "This badge is for another meeting: please see the registration desk"}
	case CodeUnknownSerial, CodeUnknownAttendee:
		return Message{"证件未登记，请到报到处", "This badge is not registered: please see the registration desk"}
	}
	return Message{"无法识别的证件，请到报到处", "Not a badge of this meeting: please see the registration desk"}
}

// route tells a person at door here how to reach seat (nil when the seat's
// door is not known): to this door's side of the hall, or across it.
func route(here string, seat Seat) *Message {
	if seat.Door == "" {
		return nil
	}
	zh, en := "座位", "your seat"
	switch {
	case seat.Section == "presidium":
		zh, en = "主席台", "the presidium"
	case seat.Section != "":
		zh, en = seat.Section+"区", "Section "+seat.Section
	}
	switch {
	case seat.Door == here:
		return &Message{"座位在本入口一侧的" + zh, "Your seat is on this door's side, " + en}
	case here == "":
		return &Message{fmt.Sprintf("座位在%s一侧的%s", seat.Door, zh), fmt.Sprintf("Your seat is on the %s side, %s", doorEn(seat.Door), en)}
	}
	return &Message{fmt.Sprintf("进门后请穿过会场，到%s一侧的%s", seat.Door, zh),
		fmt.Sprintf("Inside, cross the hall to %s on the %s side", en, doorEn(seat.Door))}
}

// doorEn names the usual doors in English; others keep their name.
func doorEn(door string) string {
	if en, ok := map[string]string{"东门": "East Door", "西门": "West Door", "南门": "South Door", "北门": "North Door",
		"正门": "Main Door", "侧门": "Side Door", "后门": "Back Door"}[door]; ok {
		return en
	}
	return door
}

// or is a, or b when a is empty.
func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func clock(t time.Time) string { return t.Format("15:04") }
