package summary

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// attendance: the figures per session as the chair's page counts them,
// the chair's sentences, and the attendance rate as bars.
func (p *pdf) attendance(r *Report) {
	if len(r.Sessions) == 0 {
		p.missing("本次会议没有场次。", "No sessions.")
		return
	}
	p.note("人数与主持人页面（/chair）同一口径，按各场次计入人数的类别计（见“口径”列）：实到为生成本报告时仍在场的人数，" +
		"离场为入场后已离开的人数，到会＝实到＋离场；开始前未到者记为未到，开始后记为缺席。" +
		"Figures as the chair's page counts them, over each session's counted categories.")
	rows := make([][]string, 0, len(r.Sessions))
	for _, s := range r.Sessions {
		missing := fmt.Sprintf("缺席 %d", s.Absent)
		if !s.Started {
			missing = fmt.Sprintf("未到 %d", s.NotYet)
		}
		rate := pct(s.Entered, s.Expected)
		if !s.Started {
			rate = "未开始"
		}
		rows = append(rows, []string{s.Name, s.Starts.Format("1月2日 15:04"), fmt.Sprint(s.Expected), fmt.Sprint(s.Present),
			fmt.Sprint(s.Left), fmt.Sprint(s.OnLeave), missing, rate, s.BasisShort})
	}
	p.table([]column{{"场次", 34, left}, {"开始", 22, center}, {"应到", 12, right}, {"实到", 12, right}, {"离场", 12, right},
		{"请假", 12, right}, {"缺席/未到", 18, right}, {"到会率", 15, right}, {"口径", 37, center}}, rows)

	p.sub("主持人报告用语", "The chair's sentences")
	for _, s := range r.Sessions {
		p.need(16)
		p.paraAt(marginX, textW, s.Name+"（"+s.Starts.Format("1月2日 15:04")+"，"+s.Basis+"）", 9, true, black)
		col, tail := green, ""
		switch {
		case !s.Started:
			col, tail = grey, "（尚未开始）"
		case !s.QuorumMet:
			col = red
		}
		p.paraAt(marginX+4, textW-4, "“"+s.Statement+"”"+tail, 10, false, col)
		en := s.StatementEn
		if !s.Started {
			en = "Not started when this report was made. " + en
		}
		p.paraAt(marginX+4, textW-4, en, 7, false, grey)
		p.y += 1.5
	}

	p.y += 3
	p.chartTitle("各场次到会率", "Attendance rate per session",
		"到会率＝到会（实到＋离场）÷应到，按各场次计入人数的类别计；浅色为应到，深色为到会。", hbarsH(len(r.Sessions)))
	bars := make([]hbar, 0, len(r.Sessions))
	for _, s := range r.Sessions {
		note := fmt.Sprintf("%s（到会 %d / 应到 %d）", pct(s.Entered, s.Expected), s.Entered, s.Expected)
		if !s.Started {
			note = fmt.Sprintf("尚未开始（已到 %d / 应到 %d）", s.Entered, s.Expected)
		}
		bars = append(bars, hbar{Label: s.Name, Value: s.Rate(), Of: 1, Note: note})
	}
	p.hbars(bars, 1, "到会率 attendance rate", true)
}

// curves: an arrival curve per plenary session.
func (p *pdf) curves(r *Report) {
	p.note("按全体名单计：该场次名单上的全部人员（各类别，含列席、工作人员），以首次入场时间每10分钟累计；" +
		"“应到”只用于计入人数的类别（见出席情况）。Everyone on the session's list, every category, by first entry; " +
		"应到 (expected) is the counted categories' only.")
	n := 0
	for _, s := range r.Sessions {
		if !s.Plenary {
			continue
		}
		n++
		p.y += 2
		if len(s.Curve) == 0 {
			p.chartTitle(s.Name+" 到场曲线", s.NameEn+" arrivals", "", 8)
			p.para("本场次无人签到。 Nobody signed in.", 9, grey)
			continue
		}
		total := s.Curve[len(s.Curve)-1].Cumulative
		before := 0
		for _, pt := range s.Curve {
			if !pt.At.Add(10 * 60e9).After(s.Starts) {
				before = pt.Cumulative
			}
		}
		p.chartTitle(s.Name+" 到场曲线", s.NameEn+" arrivals",
			fmt.Sprintf("%s，%s开会。名单 %d 人（各类别），签到 %d 人；开会时已到至少 %d 人。", s.Venue, s.Starts.Format("1月2日 15:04"),
				s.CurveExpected, total, before), curveH)
		p.curve(s.Curve, s.Starts, s.CurveExpected)
	}
	if n == 0 {
		p.missing("本次会议没有全体会议。", "No plenary sessions.")
	}
}

// meals: meals served per meal and dining hall.
func (p *pdf) meals(r *Report) {
	if len(r.Meals) == 0 {
		p.missing("本次会议没有安排用餐。", "No meals.")
		return
	}
	p.note("按人计：应用餐为有该餐用餐安排的人数，已用餐为扫码核销的人数（同一人重复扫码只计一次）。Counts people, not scans.")
	p.chartTitle("各餐次、各餐厅用餐人数", "Meals served per meal and dining hall", "浅色为应用餐，深色为已用餐。", hbarsH(len(r.Meals)))
	bars := make([]hbar, 0, len(r.Meals))
	most := 0
	served, entitled := 0, 0
	for _, m := range r.Meals {
		most = max(most, m.Entitled, m.Served)
		served += m.Served
		entitled += m.Entitled
		bars = append(bars, hbar{Label: m.Meal + " · " + m.Hall, Value: float64(m.Served), Of: float64(m.Entitled),
			Note: fmt.Sprintf("已用餐 %d / 应用餐 %d（%s）", m.Served, m.Entitled, pct(m.Served, m.Entitled))})
	}
	p.hbars(bars, float64(most), "人数 people", false)
	p.para(fmt.Sprintf("合计：已用餐 %d 人次，应用餐 %d 人次，用餐率 %s。", served, entitled, pct(served, entitled)), 9.5, black)
}

// materials: items handed out.
func (p *pdf) materials(r *Report) {
	if r.Materials == nil {
		p.missing("本服务器未记录资料发放（资料发放模块尚未接入）。", "Handing out is not recorded on this server.")
		return
	}
	if len(r.Materials.Items) == 0 {
		p.missing("未设置发放物品。", "No items were set up.")
		return
	}
	p.note("按人计：应发为应领取该物品的人数，已发为已扫码领取的人数。Counts people.")
	p.chartTitle("各物品发放情况", "Items handed out", "浅色为应发，深色为已发。", hbarsH(len(r.Materials.Items)))
	bars := make([]hbar, 0, len(r.Materials.Items))
	most := 0
	for _, it := range r.Materials.Items {
		most = max(most, it.Due, it.Given)
		bars = append(bars, hbar{Label: it.Name, Value: float64(it.Given), Of: float64(it.Due),
			Note: fmt.Sprintf("已发 %d / 应发 %d，未领 %d", it.Given, it.Due, max(0, it.Due-it.Given))})
	}
	p.hbars(bars, float64(most), "人数 people", false)
}

// documents: confidential copies issued and returned.
func (p *pdf) documents(r *Report) {
	if r.Documents == nil {
		p.missing("本服务器未记录涉密文件发放（涉密文件模块尚未接入）。", "Confidential documents are not recorded on this server.")
		return
	}
	if len(r.Documents.Docs) == 0 {
		p.missing("本次会议没有登记涉密文件。", "No confidential documents.")
		return
	}
	rows := [][]string{}
	out := 0
	for _, d := range r.Documents.Docs {
		out += d.Out
		rows = append(rows, []string{d.Title, d.Number, d.Classification, fmt.Sprint(d.Copies), fmt.Sprint(d.Issued),
			fmt.Sprint(d.Returned), fmt.Sprint(d.Out)})
	}
	p.note("按份计（每份有编号）。Counts numbered copies.")
	p.table([]column{{"文件名称", 58, left}, {"文件编号", 30, center}, {"密级", 16, center}, {"份数", 17, right},
		{"已发", 17, right}, {"已退", 18, right}, {"未退", 18, right}}, rows)
	if out == 0 {
		p.paraAt(marginX, textW, "全部清退：发出的涉密文件已全部收回。 All copies issued are back.", 10.5, true, green)
		return
	}
	p.paraAt(marginX, textW, fmt.Sprintf("尚未清退 %d 份： %d copies are still out:", out, out), 10.5, true, red)
	for _, d := range r.Documents.Docs {
		if d.Out > 0 {
			p.paraAt(marginX+4, textW-4, fmt.Sprintf("《%s》（%s）：%s", d.Title, d.Number, strings.Join(d.OutCopies, "、")), 9.5, false, red)
		}
	}
}

// logistics: travel, vehicles and rooms.
func (p *pdf) logistics(r *Report) {
	l := r.Logistics
	a, d := l.Arrivals, l.Departures
	p.note("按行程计（一人一程，随行人员不另计程）；房间按夜计。Counts trips (legs) and room-nights.")
	p.table([]column{{"项目", 40, left}, {"数量", 22, right}, {"说明", 112, left}}, [][]string{
		{"接站 行程", fmt.Sprint(a.Total), fmt.Sprintf("已接 %d，未接上 %d，改期 %d，待接 %d", a.PickedUp, a.Missed, a.Changed, a.Expected)},
		{"送站 行程", fmt.Sprint(d.Total), fmt.Sprintf("已送 %d，待送 %d，改期 %d", d.Out+d.PickedUp, d.Expected, d.Changed)},
		{"返程票务", fmt.Sprint(l.Tickets["booked"]), fmt.Sprintf("已订票 %d，待订票 %d，自行购票 %d", l.Tickets["booked"], l.Tickets["needed"], l.Tickets["self"])},
		{"车辆", fmt.Sprint(l.Vehicles), fmt.Sprintf("派车 %d 趟，已完成 %d 趟", l.Runs, l.RunsDone)},
		{"滞留人员", fmt.Sprint(l.Stranded), "因返程取消或改签而延住、临时安排住宿的人数"},
	})
	if len(l.ArrivalsByHour) > 0 {
		p.y += 2
		p.chartTitle("按小时到达人数", "Arrivals by hour", "按登记的到达时间（航班、车次）计，每小时一栏；不含只知日期的行程。", vbarsH)
		cols := []vbar{}
		for _, h := range hours(l.ArrivalsByHour) {
			cols = append(cols, vbar{Label: h.At.Format("1/2 15时"), Value: h.N})
		}
		p.vbars(cols, "行程 trips", "到达时间 arrival hour")
	}
	if len(l.Nights) > 0 {
		p.y += 2
		byNight := map[string]int{}
		var nights []string
		for _, n := range l.Nights {
			if _, ok := byNight[n.Night]; !ok {
				nights = append(nights, n.Night)
			}
			byNight[n.Night] += n.Occupied
		}
		slices.Sort(nights)
		p.chartTitle("每晚在住房间数", "Rooms occupied per night", "各酒店合计；一个房间住一人或多人都计一间。", vbarsH)
		cols := make([]vbar, 0, len(nights))
		for _, n := range nights {
			cols = append(cols, vbar{Label: n[5:], Value: byNight[n]})
		}
		p.vbars(cols, "房间 rooms", "入住日期（夜） night of")
		rows := [][]string{}
		for _, n := range l.Nights {
			rows = append(rows, []string{n.Hotel, n.Night, fmt.Sprintf("%d / %d", n.Occupied, n.Rooms), fmt.Sprint(n.Heads), fmt.Sprint(n.CheckedIn)})
		}
		p.table([]column{{"酒店", 60, left}, {"日期（夜）", 30, center}, {"在住/房间", 30, right}, {"住宿人数", 27, right}, {"已入住", 27, right}}, rows)
	}
}

// dutyKinds are the duty log's kinds in words.
var dutyKinds = map[string]string{"call": "电话记录", "phone": "电话记录", "visitor": "接待记录", "visit": "接待记录",
	"message": "信息传递", "handover": "交接班", "other": "其他"}

// duty: the duty log's open and closed items.
func (p *pdf) duty(r *Report) {
	if r.Duty == nil {
		p.missing("本服务器未记录值班日志（值班模块尚未接入）。", "The duty log is not recorded on this server.")
		return
	}
	d := r.Duty
	p.para(fmt.Sprintf("值班 %d 班次，记录 %d 条：已办结 %d 条，未办结 %d 条。", d.Shifts, d.Entries, d.Closed, d.Open), 10.5, black)
	p.para(fmt.Sprintf("%d shifts, %d entries: %d closed, %d open.", d.Shifts, d.Entries, d.Closed, d.Open), 7.5, grey)
	p.y += 2
	if len(d.ByKind) > 0 {
		kinds := make([]string, 0, len(d.ByKind))
		for k := range d.ByKind {
			kinds = append(kinds, k)
		}
		slices.SortFunc(kinds, func(a, b string) int { return cmp.Or(cmp.Compare(d.ByKind[b], d.ByKind[a]), strings.Compare(a, b)) })
		rows := [][]string{}
		for _, k := range kinds {
			rows = append(rows, []string{cmp.Or(dutyKinds[k], k), fmt.Sprint(d.ByKind[k])})
		}
		p.table([]column{{"类别", 60, left}, {"条数", 30, right}}, rows)
	}
	p.sub("未办结事项", "Open items")
	if len(d.OpenItems) == 0 {
		p.para("无。所有值班记录均已办结。 None: every entry is closed.", 9.5, green)
		return
	}
	rows := [][]string{}
	for _, it := range d.OpenItems {
		rows = append(rows, []string{it.At.Format("1月2日 15:04"), cmp.Or(dutyKinds[it.Kind], it.Kind), it.Summary, it.From})
	}
	p.table([]column{{"时间", 26, center}, {"类别", 22, center}, {"摘要", 86, left}, {"来电/来访/来文", 40, left}}, rows)
}

// refusals are the scan results that turn someone away, in words.
var refusals = []struct{ status, zh, en string }{
	{"meal_used", "重复用餐", "meal used"},
	{"not_entitled", "无权进入/用餐", "not entitled"},
	{"outside_window", "不在签到时段", "outside window"},
	{"revoked", "已作废证件", "revoked badge"},
	{"invalid", "无效或伪造二维码", "invalid"},
	{"cancelled", "已取消人员", "cancelled"},
}

// incidents: refused scans by kind, revoked badges and devices.
func (p *pdf) incidents(r *Report) {
	in := r.Incidents
	refused := 0
	bars := []hbar{}
	most := 0
	for _, k := range refusals {
		n := in.Scans[k.status]
		refused += n
		most = max(most, n)
		bars = append(bars, hbar{Label: k.zh, Value: float64(n), Note: fmt.Sprintf("%d 次 %s", n, k.en), Color: red})
	}
	total := 0
	for _, n := range in.Scans {
		total += n
	}
	p.note("按扫码次数计，不是人数。Counts scans, not people.")
	p.chartTitle("被拒绝的扫码（按原因）", "Refused scans by kind",
		fmt.Sprintf("全部扫码 %d 次，其中被拒绝 %d 次（%s）；重复签到（已签到再扫）%d 次，不算拒绝。", total, refused, pct(refused, total), in.Scans["already"]), hbarsH(len(bars)))
	p.hbars(bars, float64(max(most, 1)), "扫码次数 scans", false)

	p.sub("作废的证件", "Revoked badges")
	badges := 0
	var parts []string
	reasons := make([]string, 0, len(in.Badges))
	for k := range in.Badges {
		reasons = append(reasons, k)
	}
	slices.SortFunc(reasons, func(a, b string) int { return cmp.Or(cmp.Compare(in.Badges[b], in.Badges[a]), strings.Compare(a, b)) })
	for _, k := range reasons {
		badges += in.Badges[k]
		why := k
		if k == "reissued" {
			why = "补办（未注明原因）"
		}
		parts = append(parts, fmt.Sprintf("%s %d 张", why, in.Badges[k]))
	}
	if badges == 0 {
		p.para("没有作废证件。 No badge was revoked.", 9.5, black)
	} else {
		p.para(fmt.Sprintf("作废证件 %d 张（旧证随即失效）：%s。", badges, strings.Join(parts, "；")), 9.5, black)
	}
	p.sub("停用的设备与账号", "Revoked devices and accounts")
	if len(in.Devices) == 0 {
		p.para("没有停用的设备。 No device was revoked.", 9.5, black)
	} else {
		rows := [][]string{}
		for _, d := range in.Devices {
			rows = append(rows, []string{d.Name, deviceKinds[d.Kind], d.At.Format("1月2日 15:04")})
		}
		p.table([]column{{"设备", 80, left}, {"类型", 40, center}, {"停用时间", 40, center}}, rows)
	}
	p.para(fmt.Sprintf("停用的工作人员账号 %d 个。 %d staff accounts revoked.", in.Accounts, in.Accounts), 9.5, black)
}

var deviceKinds = map[string]string{"kiosk": "签到机", "screen": "导引屏", "usher": "引导员平板"}

// hours fills the hours nobody arrived in between the first and the last
// arrival, so that the bars stand on an even clock; over three days it
// keeps only the hours with arrivals.
func hours(in []Hour) []Hour {
	if len(in) < 2 || in[len(in)-1].At.Sub(in[0].At) > 72*time.Hour {
		return in
	}
	var out []Hour
	i := 0
	for t := in[0].At; !t.After(in[len(in)-1].At); t = t.Add(time.Hour) {
		h := Hour{At: t}
		if i < len(in) && in[i].At.Equal(t) {
			h.N = in[i].N
			i++
		}
		out = append(out, h)
	}
	return out
}
