package rules

import (
	"fmt"
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
		if r.Late {
			return Message{"签到成功（迟到）", "Checked in (late)"}
		}
		return Message{"签到成功", "Checked in"}
	case StatusAlready:
		if kind == Lodging {
			return Message{fmt.Sprintf("已于 %s 办理入住", first), fmt.Sprintf("Already checked in to the hotel at %s", first)}
		}
		return Message{fmt.Sprintf("已签到（%s）", first), fmt.Sprintf("Already checked in at %s", first)}
	case StatusReentry:
		return Message{"再次入场", "Welcome back"}
	case StatusExit:
		switch r.Code {
		case "exit_without_entry":
			return Message{"离场已记录（未见入场签到）", "Exit recorded (no entry on record)"}
		case "exit_again":
			return Message{"已离场", "Already left"}
		}
		return Message{"离场已记录", "Exit recorded"}
	case StatusMealUsed:
		return Message{fmt.Sprintf("本餐已于 %s 使用", first), fmt.Sprintf("This meal was already used at %s", first)}
	case StatusNotEntitled:
		switch r.Code {
		case "wrong_hall":
			return Message{fmt.Sprintf("请到%s用餐", r.Guidance.Venue), fmt.Sprintf("Your meal is served in %s", r.Guidance.VenueEn)}
		case "no_meal_ticket":
			return Message{"无本餐用餐安排，请到报到处", "No ticket for this meal, please see the desk"}
		case "no_lodging":
			return Message{"无住宿安排，请到报到处", "No room booked, please see the desk"}
		case "wrong_hotel":
			return Message{fmt.Sprintf("您的住宿在%s", r.Guidance.Hotel), "Your room is in another hotel"}
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
	return Message{"无效证件", "Not a valid badge for this meeting"}
}

func clock(t time.Time) string { return t.Format("15:04") }
