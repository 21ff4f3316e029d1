package store

// SearchKeys derives the forms of a name that attendee search matches: the
// full pinyin without tones ("zhangwei") and the initials ("zw"). The desk's
// edit form writes them beside a changed name so that a renamed attendee is
// found by the new name's initials at once, exactly as an imported one is.
func SearchKeys(name string) (full, initials string) { return searchKeys(name) }
