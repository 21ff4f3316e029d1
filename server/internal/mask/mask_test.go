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
		// Passports, Hong Kong and Macau permits: the same share hidden
		// as for a resident ID (issue 10.14: H12*4567 showed 7 of 8).
		{IDNumber, "H1234567", "H*****67"},
		{IDNumber, "E12345678", "E******78"},
		{IDNumber, "C01234567890", "C0********90"},
		{IDNumber, "110101900307001", "110*********001"},
	} {
		if got := tc.fn(tc.in); got != tc.want {
			t.Errorf("mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestIDNumberHidesAtLeastThreeFifths checks the share for every length.
func TestIDNumberHidesAtLeastThreeFifths(t *testing.T) {
	for n := 1; n <= 24; n++ {
		in := "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:n]
		out := IDNumber(in)
		hidden := 0
		for _, r := range out {
			if r == '*' {
				hidden++
			}
		}
		if len([]rune(out)) != n || hidden*5 < n*3 {
			t.Errorf("IDNumber(%q) = %q: %d of %d hidden", in, out, hidden, n)
		}
	}
}

func TestAccessForUshers(t *testing.T) {
	for in, want := range map[string]string{"": "", "轮椅": "轮椅", "需轮椅，糖尿病": "轮椅", "wheelchair user": "轮椅", "视力障碍，需引导": "需协助", "心脏病": "需协助"} {
		if got := AccessForUsher(in); got != want {
			t.Errorf("AccessForUsher(%q) = %q, want %q", in, got, want)
		}
	}
}
