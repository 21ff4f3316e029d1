package readiness

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"huiwu/server/internal/store"
)

// The materials lines of the board (资料发放, issue 13.2): that the
// stockroom has counted enough of every item people are due, and, once
// the meeting has started, who still lacks an item to be in hand by then
// (the 代表证, the 文件袋).

// materialsStock: every item someone is due has its stock entered, and
// the stock left covers everyone still to collect it.
func (k *checker) materialsStock(ctx context.Context) (Check, error) {
	c := Check{ID: "materials_stock", Title: "资料库存充足", TitleEn: "Enough of every item in stock"}
	counts, err := k.db.ItemCounts(ctx)
	if err != nil {
		return c, err
	}
	for _, it := range counts {
		if it.Due == 0 {
			continue
		}
		c.Checked++
		item := Item{Subject: it.Code, Name: it.Name}
		switch {
		case it.Stock == nil:
			item.Detail = fmt.Sprintf("未录入库存（应发 %d，待发 %d）", it.Due, it.Left)
			item.DetailEn = fmt.Sprintf("no stock entered (%d due, %d to hand out)", it.Due, it.Left)
		case it.Short > 0:
			item.Detail = fmt.Sprintf("库存 %d，已发 %d，待发 %d，缺 %d", *it.Stock, it.Given, it.Left, it.Short)
			item.DetailEn = fmt.Sprintf("stock %d, %d handed out, %d to hand out: %d short", *it.Stock, it.Given, it.Left, it.Short)
		default:
			continue
		}
		c.fail(item)
	}
	return c, nil
}

// materialsCollected: from the start of the first session, everyone due
// an item to be in hand by then has it. Before the start nothing is
// late yet, and the check passes.
func (k *checker) materialsCollected(ctx context.Context) (Check, error) {
	c := Check{ID: "materials_collected", Title: "开会时代表证、文件袋已发到人", TitleEn: "Passes and folders in hand once the meeting starts"}
	if len(k.cat.SessionList) == 0 || k.opts.Now.Before(k.cat.SessionList[0].StartsAt) {
		return c, nil
	}
	owed, err := k.db.MaterialsOwed(ctx, store.OwedFilter{BeforeStart: true})
	if err != nil {
		return c, err
	}
	for _, o := range owed {
		c.Checked++
		var zh, en []string
		for _, h := range o.Missing() {
			zh = append(zh, h.Name)
			en = append(en, h.NameEn)
		}
		if len(zh) == 0 {
			continue
		}
		name := o.Name
		if o.Delegation != "" {
			name += "（" + o.Delegation + "）"
		}
		c.fail(Item{Subject: strconv.FormatInt(o.AttendeeID, 10), Name: name,
			Detail: "未领：" + strings.Join(zh, "、"), DetailEn: "not collected: " + strings.Join(en, ", ")})
	}
	return c, nil
}
