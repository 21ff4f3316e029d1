package readiness

import (
	"context"
	"fmt"
	"strconv"

	"huiwu/server/internal/store"
)

// The notice lines of the board (issue 13.1): 会议通知发出去了吗，都回执
// 了吗？ Every unit with people on the list has replied, and everyone in a
// unit is confirmed: named as coming in the unit's newest reply, or
// replaced or excused by a change the desk applied.

func (k *checker) unitsReplied(ctx context.Context) (Check, error) {
	c := Check{ID: "units_replied", Title: "各单位均已回执", TitleEn: "Every unit has replied to the notice"}
	checked, units, err := k.db.UnitsNotReplied(ctx)
	if err != nil {
		return c, err
	}
	c.Checked = checked
	for _, u := range units {
		who := "未登记联系人"
		whoEn := "no contact recorded"
		if u.Contact != "" {
			who, whoEn = "联系人 "+u.Contact+" "+u.Phone, "contact "+u.Contact+" "+u.Phone
		}
		c.fail(Item{Subject: "unit:" + strconv.FormatInt(u.ID, 10), Name: u.Name,
			Detail:   fmt.Sprintf("未回执（%d 人；%s）", u.Members, who),
			DetailEn: fmt.Sprintf("no reply (%d people; %s)", u.Members, whoEn)})
	}
	return c, nil
}

func (k *checker) attendeesConfirmed(ctx context.Context) (Check, error) {
	c := Check{ID: "attendees_confirmed", Title: "参会人员均已确认", TitleEn: "Everyone's attendance is confirmed"}
	checked, people, err := k.db.UnconfirmedPeople(ctx)
	if err != nil {
		return c, err
	}
	c.Checked = checked
	for _, p := range people {
		it := Item{Subject: strconv.FormatInt(p.AttendeeID, 10), Name: person(p.Name, p.Organization)}
		switch {
		case !p.Replied:
			it.Detail, it.DetailEn = p.Unit+"未回执", p.Unit+" has not replied"
		case p.Answer == "":
			it.Detail, it.DetailEn = p.Unit+"的回执未列此人", p.Unit+"'s reply does not name them"
		case p.ItemState == store.ItemRejected:
			it.Detail, it.DetailEn = "回执称"+answerWords(p.Answer)+"，报到处未采纳", "the reply says "+p.Answer+"; the desk rejected it"
		default:
			it.Detail, it.DetailEn = "回执称"+answerWords(p.Answer)+"，待报到处处理", "the reply says "+p.Answer+"; for the desk to decide"
		}
		c.fail(it)
	}
	return c, nil
}

func answerWords(a string) string {
	switch a {
	case store.AnswerSubstitute:
		return "由他人代会"
	case store.AnswerDecline:
		return "不参加"
	}
	return a
}
