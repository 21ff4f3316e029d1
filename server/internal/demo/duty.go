package demo

import (
	"context"
	"fmt"
	"time"

	"huiwu/server/internal/domain"
	"huiwu/server/internal/store"
)

// The demo's duty room (值班, issue 13.4): the secretariat's duty room and
// a point at the hotel; the main room staffed back to back from an hour
// before the first session opens to an hour after the last closes, two
// people a shift; and a log of the morning with some items done, some
// open, and one handover taken over. Names and phones are made up
// (139 0000 …).
var (
	dutyMain  = store.DutyPlace{Name: "会务组值班室", Phone: "0871-65550100", Main: true, Sort: 1}
	dutyHotel = store.DutyPlace{Name: "酒店值班点", Phone: "0871-65550200", Sort: 2}

	// dutyStaff take the main room's shifts in turn, two at a time.
	dutyStaff = []store.DutyPerson{
		{Name: "李娜", Phone: "13900000101"}, {Name: "赵磊", Phone: "13900000102"},
		{Name: "王芳", Phone: "13900000103"}, {Name: "孙晓东", Phone: "13900000104"},
		{Name: "杨帆", Phone: "13900000105"}, {Name: "何静", Phone: "13900000106"},
	}
)

// dutyShiftLength is how long the demo's shifts at the main room run.
const dutyShiftLength = 6 * time.Hour

// loadDuty stores the demo's places, roster and log, as of now.
func loadDuty(ctx context.Context, db *store.DB, ev domain.EventData, now time.Time) error {
	main, err := db.SaveDutyPlace(ctx, dutyMain, "demo")
	if err != nil {
		return fmt.Errorf("demo: duty place: %w", err)
	}
	hotel, err := db.SaveDutyPlace(ctx, dutyHotel, "demo")
	if err != nil {
		return fmt.Errorf("demo: duty place: %w", err)
	}
	if len(ev.Sessions) == 0 {
		return nil
	}
	first, last := ev.Sessions[0].OpensAt, ev.Sessions[0].ClosesAt
	for _, s := range ev.Sessions {
		if s.OpensAt.Before(first) {
			first = s.OpensAt
		}
		if s.ClosesAt.After(last) {
			last = s.ClosesAt
		}
	}
	// The shift on now began on the hour before now's, and a shift before
	// it handed over to it; the grid goes back from there to before the
	// first session opens.
	from := now.Truncate(time.Hour).Add(-time.Hour - dutyShiftLength)
	for from.After(first.Add(-time.Hour)) {
		from = from.Add(-dutyShiftLength)
	}
	until := last.Add(time.Hour)
	var shifts []store.DutyShift
	for i, at := 0, from; at.Before(until); i, at = i+1, at.Add(dutyShiftLength) {
		a, b := dutyStaff[(2*i)%len(dutyStaff)], dutyStaff[(2*i+1)%len(dutyStaff)]
		a.Lead = true
		s, err := db.AddDutyShift(ctx, store.DutyShift{PlaceID: main.ID, StartsAt: at, EndsAt: at.Add(dutyShiftLength),
			People: []store.DutyPerson{a, b}}, "demo")
		if err != nil {
			return fmt.Errorf("demo: duty shift: %w", err)
		}
		shifts = append(shifts, s)
	}
	if _, err := db.AddDutyShift(ctx, store.DutyShift{PlaceID: hotel.ID, StartsAt: now.Add(-2 * time.Hour).Truncate(time.Hour),
		EndsAt: now.Add(6 * time.Hour).Truncate(time.Hour), People: []store.DutyPerson{{Name: "周敏", Phone: "13900000201"}},
		Notes: "报到日大堂"}, "demo"); err != nil {
		return fmt.Errorf("demo: duty shift: %w", err)
	}
	return dutyLog(ctx, db, shifts, hotel.ID, now)
}

// dutyLog writes the morning's log: the outgoing shift's entries, its
// handover to the shift on now, and what came in since.
func dutyLog(ctx context.Context, db *store.DB, shifts []store.DutyShift, hotel int64, now time.Time) error {
	var cur, prev *store.DutyShift
	for i := range shifts {
		if shifts[i].On(now) {
			cur = &shifts[i]
			if i > 0 {
				prev = &shifts[i-1]
			}
		}
	}
	if cur == nil || prev == nil {
		return nil
	}
	who := func(p store.DutyPerson, at time.Time) store.DutyWriter {
		return store.DutyWriter{Name: "会务组 " + p.Name, At: at}
	}
	out, in := prev.People[0], cur.People[0]
	// Written before the shift changed, by the outgoing shift.
	before := cur.StartsAt
	type entry struct {
		ago     time.Duration
		in      store.DutyInput
		outcome string // closed this long after, when set
	}
	early := []entry{
		{90 * time.Minute, store.DutyInput{Kind: "call", FromName: "陈主任", FromUnit: "省政府办公厅秘书处", FromPhone: "0871-63600001",
			Content: "询问开幕会主席台名单是否已定，请会务组今天中午前回电确认。", ToWhom: "秘书组 刘处长", Open: true}, ""},
		{70 * time.Minute, store.DutyInput{Kind: "visit", FromName: "马红梅", FromUnit: "红河州代表团", FromPhone: "13800000301",
			Content: "代表团联络员来取代表团文件袋 12 份。", Open: true}, "已按名单发放 12 份，联络员签收"},
		{40 * time.Minute, store.DutyInput{Kind: "message", FromName: "秘书组", Content: "下午分组讨论第二组会场改在 3 楼 305 会议室，请通知第二组各位代表。",
			ToWhom: "第二组召集人", Open: true}, ""},
		{25 * time.Minute, store.DutyInput{Kind: "call", FromName: "张师傅", FromUnit: "车队", FromPhone: "13700001021",
			Content: "领导用车已到酒店门口待命。"}, ""},
	}
	var open []int64
	for _, x := range early {
		x.in.At = before.Add(-x.ago)
		e, err := db.AddDutyEntry(ctx, x.in, who(out, x.in.At.Add(2*time.Minute)))
		if err != nil {
			return fmt.Errorf("demo: duty log: %w", err)
		}
		if x.outcome != "" {
			if _, err := db.CloseDutyEntry(ctx, e.ID, x.outcome, who(out, x.in.At.Add(20*time.Minute))); err != nil {
				return fmt.Errorf("demo: duty log: %w", err)
			}
		} else if e.State == store.DutyOpen {
			open = append(open, e.ID)
		}
	}
	// A phone number written wrong, put right by the outgoing shift.
	if len(open) > 0 {
		e, err := db.DutyEntry(ctx, open[0])
		if err != nil {
			return err
		}
		fix := store.DutyInput{Kind: e.Kind, At: e.At, FromName: e.FromName, FromUnit: e.FromUnit, FromPhone: "0871-63600011",
			Content: e.Content, ToWhom: e.ToWhom, Reason: "回拨发现电话号码记错一位"}
		if _, err := db.CorrectDutyEntry(ctx, e.ID, fix, who(out, e.At.Add(30*time.Minute))); err != nil {
			return fmt.Errorf("demo: duty log: %w", err)
		}
	}
	h, err := db.OfferHandover(ctx, 0, "陈主任等回电；第二组改会场的通知尚未发出。", who(out, before.Add(-5*time.Minute)))
	if err != nil {
		return fmt.Errorf("demo: handover: %w", err)
	}
	if _, err := db.AcceptHandover(ctx, h.ID, who(in, before.Add(5*time.Minute))); err != nil {
		return fmt.Errorf("demo: handover: %w", err)
	}
	// Since the shift changed.
	late := []store.DutyInput{
		{Kind: "call", At: now.Add(-20 * time.Minute), FromName: "李秘书", FromUnit: "省人大常委会办公厅", FromPhone: "0871-63200002",
			Content: "李主任今天下午的会改期，询问能否请假一场，请回电说明请假手续。", ToWhom: "报到处", Open: true},
		{Kind: "other", At: now.Add(-10 * time.Minute), Content: "二楼打印机卡纸，已联系酒店工程部处理。"},
	}
	for _, x := range late {
		if x.At.Before(cur.StartsAt) {
			x.At = cur.StartsAt.Add(time.Minute)
		}
		if _, err := db.AddDutyEntry(ctx, x, who(in, x.At.Add(time.Minute))); err != nil {
			return fmt.Errorf("demo: duty log: %w", err)
		}
	}
	if _, err := db.AddDutyEntry(ctx, store.DutyInput{Kind: "visit", At: now.Add(-30 * time.Minute), PlaceID: hotel, FromName: "黄先生",
		FromUnit: "昭通市代表团", Content: "代表房间空调不制热，要求换房。", ToWhom: "酒店前台", Open: true},
		store.DutyWriter{Name: "会务组 周敏", At: now.Add(-29 * time.Minute)}); err != nil {
		return fmt.Errorf("demo: duty log: %w", err)
	}
	return nil
}
