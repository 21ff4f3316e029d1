package importer

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// problem is what a field parser found wrong with one cell.
type problem struct {
	code, zh, en string
	warn         bool
}

func fail(code, zh, en string) *problem { return &problem{code: code, zh: zh, en: en} }
func warnOf(code, zh, en string) *problem {
	return &problem{code: code, zh: zh, en: en, warn: true}
}

// isScientific matches what Excel shows, and writes to CSV, for a long
// number in a General cell: 1.10101E+17 (digits, an optional fraction, an
// exponent).
func isScientific(s string) bool {
	mant, exp, ok := strings.Cut(strings.ToUpper(s), "E")
	if !ok {
		return false
	}
	whole, frac, _ := strings.Cut(mant, ".")
	if strings.HasPrefix(exp, "+") || strings.HasPrefix(exp, "-") {
		exp = exp[1:]
	}
	return allDigits(whole) && (frac == "" || allDigits(frac)) && allDigits(exp) && len(exp) <= 3
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// idWeights and idCheck are GB 11643-1999's check digit: Σ aᵢ·wᵢ mod 11
// indexes idCheck.
var (
	idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheck   = "10X98765432"
)

func idCheckDigit(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheck[sum%11]
}

func validDate(y, m, d string) bool {
	t, err := time.Parse("20060102", y+m+d)
	return err == nil && t.Year() >= 1800 && t.Year() <= 2100
}

// parseID checks a 身份证号 (already folded). numeric reports an XLSX cell
// stored as a number, whose last digits Excel has already rounded away.
func parseID(s string, numeric bool) (string, *problem) {
	v := strings.ToUpper(compact(s))
	switch {
	case v == "":
		return "", nil
	case numeric:
		return "", fail(CodeIDNumeric,
			"身份证号单元格是数字格式，Excel 只保留 15 位有效数字，末尾几位已经丢失。请把该列设为“文本”格式，再重新录入完整号码",
			"the ID number cell is stored as a number; Excel keeps only 15 significant digits, so the last digits are lost. Format the column as Text and re-enter the full number")
	case isScientific(v):
		return "", fail(CodeIDScientific,
			"身份证号显示为科学计数法（如 1.10101E+17），末尾几位已经丢失。请把该列设为“文本”格式，再重新录入完整号码",
			"the ID number is in scientific notation (e.g. 1.10101E+17), so its last digits are lost. Format the column as Text and re-enter the full number")
	}
	body := v
	if strings.HasSuffix(v, "X") {
		body = v[:len(v)-1]
	}
	if !allDigits(body) {
		if len(v) >= 5 && len(v) <= 20 && alnum(v) {
			return v, warnOf(CodeIDOther,
				"不是居民身份证号，按护照、通行证等其他证件号码保存",
				"not a resident ID number; kept as a passport or permit number")
		}
		return "", fail(CodeIDInvalid,
			"身份证号只能包含数字和末位的 X",
			"an ID number has only digits and a final X")
	}
	switch len(v) {
	case 18:
		if idCheckDigit(v) != v[17] {
			zh, en := "身份证号校验位不符，请核对号码", "the ID number's check digit is wrong; please check the number"
			if strings.HasSuffix(v, "000") {
				zh += "（末尾是 000，多半是 Excel 按数字保存时丢失了后几位）"
				en += " (it ends in 000: Excel probably rounded it as a number)"
			}
			return "", fail(CodeIDChecksum, zh, en)
		}
		if !validDate(v[6:10], v[10:12], v[12:14]) {
			return "", fail(CodeIDInvalid, "身份证号第7–14位不是有效的出生日期",
				"digits 7–14 of the ID number are not a valid birth date")
		}
		return v, nil
	case 15:
		if body != v || !validDate("19"+v[6:8], v[8:10], v[10:12]) {
			return "", fail(CodeIDInvalid, "15位身份证号第7–12位不是有效的出生日期",
				"digits 7–12 of the 15-digit ID number are not a valid birth date")
		}
		return v, warnOf(CodeIDOld, "这是15位旧身份证号，建议核对后改为18位",
			"this is an old 15-digit ID number; consider updating it to 18 digits")
	}
	return "", fail(CodeIDLength,
		fmt.Sprintf("身份证号应为18位，这里是%d位", len(v)),
		fmt.Sprintf("an ID number has 18 characters; this one has %d", len(v)))
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

var phoneBad = fail(CodePhoneInvalid,
	"不是有效的手机号（11位）或带区号的固定电话（如 010-12345678）",
	"not a valid mobile number (11 digits) or landline with area code (e.g. 010-12345678)")

// parsePhone accepts an 11-digit mobile, with or without +86, spaces and
// dashes, or a landline with its area code and an optional extension. It
// returns 13800138000 or 010-12345678(-123).
func parsePhone(s string) (string, *problem) {
	v := s
	switch {
	case v == "":
		return "", nil
	case isScientific(v):
		return "", fail(CodePhoneInvalid,
			"电话号码显示为科学计数法，位数已经丢失。请把该列设为“文本”格式后重新录入",
			"the phone number is in scientific notation and has lost digits; format the column as Text and re-enter it")
	case strings.ContainsAny(v, "/,;、，；|"):
		return "", fail(CodePhoneInvalid, "每格只能填一个电话号码，其余号码请写在备注中",
			"one phone number per cell; put any others in the notes")
	}
	ext := ""
	for _, sep := range []string{"转", "ext.", "ext", "EXT", "#"} {
		if i := strings.Index(v, sep); i > 0 {
			v, ext = v[:i], strings.Trim(v[i+len(sep):], " -")
			break
		}
	}
	v = strings.Map(func(r rune) rune {
		if strings.ContainsRune(" -—–()（）.", r) {
			return -1
		}
		return r
	}, v)
	intl := false
	switch {
	case strings.HasPrefix(v, "+86"):
		v, intl = v[3:], true
	case strings.HasPrefix(v, "0086"):
		v, intl = v[4:], true
	case len(v) == 13 && strings.HasPrefix(v, "861"):
		v, intl = v[2:], true
	}
	if !allDigits(v) || (ext != "" && !allDigits(ext)) || len(ext) > 6 {
		return "", phoneBad
	}
	if len(v) == 11 && v[0] == '1' && v[1] >= '3' && v[1] <= '9' && ext == "" {
		return v, nil
	}
	if intl && v[0] != '0' {
		v = "0" + v
	}
	if v[0] != '0' {
		return "", phoneBad
	}
	area := 4
	if strings.HasPrefix(v, "010") || strings.HasPrefix(v, "02") {
		area = 3
	}
	if len(v) < area {
		return "", phoneBad
	}
	local := v[area:]
	if (len(local) != 7 && len(local) != 8) || local[0] == '0' {
		return "", phoneBad
	}
	out := v[:area] + "-" + local
	if ext != "" {
		out += "-" + ext
	}
	return out, nil
}

// parseRank accepts a positive integer; "3.0" is Excel's way of writing 3.
func parseRank(s string) (int, *problem) {
	v := compact(s)
	if v == "" {
		return 0, nil
	}
	if i := strings.IndexByte(v, '.'); i > 0 && strings.Trim(v[i+1:], "0") == "" {
		v = v[:i]
	}
	n, err := strconv.Atoi(v)
	if err != nil || !allDigits(v) || n < 1 || n > 1_000_000 {
		return 0, fail(CodeBadRank,
			fmt.Sprintf("排序应为正整数（如 1、2、3），这里是“%s”", truncate(s, 20)),
			fmt.Sprintf("rank must be a positive whole number (1, 2, 3…), not %q", truncate(s, 20)))
	}
	return n, nil
}

// parseGender maps the usual spellings to 男/女.
func parseGender(s string) (string, *problem) {
	if s == "男" || s == "女" {
		return s, nil
	}
	switch foldKey(s) {
	case "":
		return "", nil
	case "男", "男性", "m", "male":
		return "男", nil
	case "女", "女性", "f", "female":
		return "女", nil
	}
	return "", warnOf(CodeBadGender,
		fmt.Sprintf("性别应为“男”或“女”，“%s”已忽略", truncate(s, 20)),
		fmt.Sprintf("gender should be 男 or 女; %q was left out", truncate(s, 20)))
}

// parseConsent reads an answer to face verification: 是/同意/yes/1 or
// 否/不同意/no/0 (any case; 1.0 is Excel's 1). Anything else is an error,
// not a guess: the consent to biometrics must be the person's.
func parseConsent(s string) (*bool, *problem) {
	v := compact(s)
	if i := strings.IndexByte(v, '.'); i > 0 && strings.Trim(v[i+1:], "0") == "" {
		v = v[:i]
	}
	v = foldKey(v)
	yes, no := true, false
	switch v {
	case "是", "同意", "已同意", "yes", "y", "1", "true", "√", "✓":
		return &yes, nil
	case "否", "不同意", "未同意", "no", "n", "0", "false", "×", "✗":
		return &no, nil
	}
	return nil, fail(CodeBadConsent,
		fmt.Sprintf("人脸核验同意应填“是”或“否”（不清楚请留空），这里是“%s”", truncate(s, 20)),
		fmt.Sprintf("face verification consent must be 是/yes or 否/no (leave it empty if not asked), not %q", truncate(s, 20)))
}

// truncate shortens a value quoted in a message.
func truncate(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}
