package notices

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"huiwu/server/internal/store"
	"huiwu/server/internal/xlsxguard"
)

// Issue is one bad cell of an imported form: its row (as the spreadsheet
// numbers it), column letter and head, and what is wrong.
type Issue struct {
	Row       int    `json:"row"`
	Column    string `json:"column"`
	Header    string `json:"header"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}

// ErrNotForm is a file that is not a 回执 workbook at all: not XLSX, or
// without the form's column heads. ErrOtherUnit is another unit's form.
var (
	ErrNotForm   = errors.New("notices: not a 回执 workbook")
	ErrOtherUnit = errors.New("notices: the form is another unit's")
)

// MaxUnzip bounds what a form may unpack to: a unit's form is tens of KB.
const MaxUnzip = 16 << 20

// maxFormRows bounds the rows read: a unit has tens of people, never
// thousands.
const maxFormRows = 2000

var (
	statusWords = map[string]string{
		"参加": store.AnswerConfirm, "确认": store.AnswerConfirm, "确认参加": store.AnswerConfirm, "出席": store.AnswerConfirm,
		"代会": store.AnswerSubstitute, "代替": store.AnswerSubstitute, "替会": store.AnswerSubstitute,
		"不参加": store.AnswerDecline, "不出席": store.AnswerDecline, "请假": store.AnswerDecline,
		"confirm": store.AnswerConfirm, "substitute": store.AnswerSubstitute, "decline": store.AnswerDecline,
	}
	modeWords = map[string]string{
		"飞机": "flight", "航班": "flight", "火车": "train", "高铁": "train", "动车": "train", "汽车": "car", "自驾": "car",
		"其他": "other", "flight": "flight", "train": "train", "car": "car", "other": "other",
	}
	datePattern = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$`)
)

// ReadXLSX reads a filled-in form of f's unit: one answer per person
// whose 回执 cell is filled, or the bad cells by row and column (and no
// answers). People left blank are not answered.
func ReadXLSX(data []byte, f *Form) ([]store.ReplyAnswer, []Issue, error) {
	x, _, err := xlsxguard.Open(data, MaxUnzip, excelize.Options{CultureInfo: excelize.CultureNameZhCN, ShortDatePattern: "yyyy-mm-dd"})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrNotForm, err)
	}
	defer x.Close()
	sheet := formSheet
	if i, _ := x.GetSheetIndex(sheet); i < 0 {
		sheet = x.GetSheetName(x.GetActiveSheetIndex())
	}
	rows, err := x.GetRows(sheet)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrNotForm, err)
	}
	if len(rows) > maxFormRows {
		return nil, nil, fmt.Errorf("%w: %d rows", ErrNotForm, len(rows))
	}
	// The head row: the first with 编号 in it.
	head, at := -1, map[string]int{}
	for r := 0; r < len(rows) && r < 20 && head < 0; r++ {
		for i, cell := range rows[r] {
			for _, c := range columns {
				if strings.TrimSpace(cell) == c.head {
					at[c.key] = i
				}
			}
		}
		if _, ok := at["id"]; ok {
			head = r
		} else {
			clear(at)
		}
	}
	if head < 0 {
		return nil, nil, fmt.Errorf("%w: no 编号 column", ErrNotForm)
	}
	if _, ok := at["status"]; !ok {
		return nil, nil, fmt.Errorf("%w: no 回执 column", ErrNotForm)
	}
	unitOK := false
	for r := 0; r < head; r++ {
		for _, cell := range rows[r] {
			if strings.HasPrefix(strings.TrimSpace(cell), unitLine(f.Unit)) {
				unitOK = true
			}
		}
	}
	if !unitOK {
		return nil, nil, ErrOtherUnit
	}
	members := make(map[int64]bool, len(f.Members))
	for _, m := range f.Members {
		members[m.ID] = true
	}
	var answers []store.ReplyAnswer
	var issues []Issue
	seen := map[int64]int{}
	for r := head + 1; r < len(rows); r++ {
		row, line := rows[r], r+1
		get := func(key string) string {
			i, ok := at[key]
			if !ok || i >= len(row) {
				return ""
			}
			return strings.TrimSpace(row[i])
		}
		bad := func(key, code, zh, en string) {
			i := at[key]
			letter, _ := excelize.ColumnNumberToName(i + 1)
			head := ""
			for _, c := range columns {
				if c.key == key {
					head = c.head
				}
			}
			issues = append(issues, Issue{Row: line, Column: letter, Header: head, Code: code, Message: zh, MessageEn: en})
		}
		if strings.Join(row, "") == "" {
			continue
		}
		id, err := strconv.ParseInt(get("id"), 10, 64)
		if err != nil || !members[id] {
			bad("id", "unknown_person", fmt.Sprintf("编号“%s”不是本单位名单上的人员，请勿改动编号列", get("id")),
				fmt.Sprintf("%q is not the number of one of the unit's people; leave the 编号 column as it is", get("id")))
			continue
		}
		if prev, ok := seen[id]; ok {
			bad("id", "duplicate_person", fmt.Sprintf("编号 %d 已在第 %d 行出现", id, prev), fmt.Sprintf("number %d is on row %d already", id, prev))
			continue
		}
		seen[id] = line
		word := get("status")
		if word == "" {
			continue
		}
		status, ok := statusWords[strings.ToLower(word)]
		if !ok {
			bad("status", "bad_status", fmt.Sprintf("回执“%s”无法识别，请填“参加”“代会”或“不参加”", word),
				fmt.Sprintf("%q is not an answer: write 参加, 代会 or 不参加", word))
			continue
		}
		a := store.ReplyAnswer{Attendee: id, Status: status, Reason: get("reason"), Diet: get("diet"), Room: get("room")}
		if status == store.AnswerSubstitute {
			a.Substitute = &store.ReplyPerson{Name: get("sub_name"), Title: get("sub_title"), Phone: get("sub_phone")}
		}
		for _, d := range []struct {
			prefix string
			trip   **store.ReplyTrip
		}{{"arr_", &a.Arrival}, {"dep_", &a.Departure}} {
			t := &store.ReplyTrip{Number: get(d.prefix + "number"), Station: get(d.prefix + "station"), Time: get(d.prefix + "time")}
			if w := get(d.prefix + "mode"); w != "" {
				if t.Mode, ok = modeWords[strings.ToLower(w)]; !ok {
					bad(d.prefix+"mode", "bad_mode", fmt.Sprintf("方式“%s”无法识别，请填飞机、火车、汽车或其他", w),
						fmt.Sprintf("%q is not a mode: write 飞机, 火车, 汽车 or 其他", w))
				}
			}
			if v := get(d.prefix + "date"); v != "" {
				if t.Date, ok = parseDate(v); !ok {
					bad(d.prefix+"date", "bad_date", fmt.Sprintf("日期“%s”无法识别，请写成 2026-03-05", v),
						fmt.Sprintf("%q is not a date: write 2026-03-05", v))
				}
			}
			*d.trip = t
		}
		if err := Check(&a, f.Settings); err != nil {
			var ie *InvalidError
			if !errors.As(err, &ie) {
				return nil, nil, err
			}
			for _, fe := range ie.Fields {
				bad(fieldColumn(fe.Field), "bad_"+strings.ReplaceAll(fe.Field, ".", "_"), fe.Zh, fe.En)
			}
			continue
		}
		answers = append(answers, a)
	}
	if len(issues) > 0 {
		return nil, issues, nil
	}
	return answers, nil, nil
}

// fieldColumn is the form column of an answer's field.
func fieldColumn(field string) string {
	switch field {
	case "substitute.name":
		return "sub_name"
	case "substitute.title":
		return "sub_title"
	case "substitute.phone", "substitute.id_number", "substitute.gender":
		return "sub_phone"
	case "reason", "diet", "room", "status":
		return field
	}
	dir, part, _ := strings.Cut(field, ".")
	prefix := "arr_"
	if dir == "departure" {
		prefix = "dep_"
	}
	if part == "companions" {
		part = "number"
	}
	return prefix + part
}

// parseDate reads 2026-03-05, 2026/3/5, 2026.3.5 or 2026年3月5日.
func parseDate(s string) (string, bool) {
	m := datePattern.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Month() != time.Month(mo) || t.Day() != d {
		return "", false
	}
	return t.Format(time.DateOnly), true
}
