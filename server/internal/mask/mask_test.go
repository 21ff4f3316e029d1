package mask

import "testing"

func TestMask(t *testing.T) {
	for _, tc := range []struct {
		fn   func(string) string
		in   string
		want string
	}{
		{Name, "张三丰", "张*丰"},
		{Name, "王喆", "王*"},
		{Name, "刘䶮", "刘*"},
		{Name, "欧阳娜娜", "欧**娜"},
		{Name, "阿卜杜拉·买买提", "阿*·买*"},
		{Name, "Anna Müller", "A*** M*****"},
		{Name, "李", "李"},
		{Phone, "13812345678", "138****5678"},
		{Phone, "12345", "*2345"},
		{IDNumber, "11010119900307001X", "110***********001X"},
		{IDNumber, "", ""},
	} {
		if got := tc.fn(tc.in); got != tc.want {
			t.Errorf("mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
