package flow

import (
	"fmt"
	"strconv"
	"strings"
)

// An item's stage times are also kept packed in one column of flow_items (stage_times), so
// the value stream map reads one row per completed item instead of one per item and stage:
// at 1M items that is the difference between a dashboard query and a slow one.
//
// Format, per stage in order of first visit: "<len(name)>:<name><process ms>,<wait ms>,<visits>;".
// The length prefix lets a stage name hold any character.

func packStages(stages []StageStay) string {
	var b strings.Builder
	for _, s := range stages {
		b.WriteString(strconv.Itoa(len(s.Stage)))
		b.WriteByte(':')
		b.WriteString(s.Stage)
		b.WriteString(strconv.FormatInt(s.ProcessMs, 10))
		b.WriteByte(',')
		b.WriteString(strconv.FormatInt(s.WaitMs, 10))
		b.WriteByte(',')
		b.WriteString(strconv.Itoa(s.Visits))
		b.WriteByte(';')
	}
	return b.String()
}

// unpackStages calls fn for every stage of a packed column, without allocating per stage.
func unpackStages(packed string, fn func(stage string, processMs, waitMs int64)) error {
	for rest := packed; rest != ""; {
		colon := strings.IndexByte(rest, ':')
		if colon < 0 {
			return fmt.Errorf("packed stage times %q: no name length", packed)
		}
		n, err := strconv.Atoi(rest[:colon])
		if err != nil || n < 0 || colon+1+n > len(rest) {
			return fmt.Errorf("packed stage times %q: bad name length", packed)
		}
		name := rest[colon+1 : colon+1+n]
		rest = rest[colon+1+n:]
		end := strings.IndexByte(rest, ';')
		if end < 0 {
			return fmt.Errorf("packed stage times %q: unterminated stage %q", packed, name)
		}
		nums := rest[:end]
		rest = rest[end+1:]
		c1 := strings.IndexByte(nums, ',')
		c2 := strings.LastIndexByte(nums, ',')
		if c1 < 0 || c2 <= c1 {
			return fmt.Errorf("packed stage times %q: stage %q lacks its times", packed, name)
		}
		p, err1 := strconv.ParseInt(nums[:c1], 10, 64)
		w, err2 := strconv.ParseInt(nums[c1+1:c2], 10, 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("packed stage times %q: stage %q has bad times", packed, name)
		}
		fn(name, p, w)
	}
	return nil
}
