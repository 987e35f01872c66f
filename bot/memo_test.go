package bot

import (
	"strconv"
	"sync"
	"testing"
)

// TestMemo: each answer is built once, even when asked for at once; peek
// never builds; maps are kept a few at a time, apart from other answers.
func TestMemo(t *testing.T) {
	m := newMemo(100, 3)
	builds := 0
	var mu sync.Mutex
	build := func() Reply {
		mu.Lock()
		builds++
		mu.Unlock()
		return Reply{Kind: KindMap, Title: "x"}
	}
	if _, ok := m.peek("map:a"); ok {
		t.Fatal("peek found an answer never asked for")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { m.get("map:a", build) })
	}
	wg.Wait()
	if builds != 1 {
		t.Errorf("built %d times, want once", builds)
	}
	if r, ok := m.peek("map:a"); !ok || r.Title != "x" {
		t.Errorf("peek = %+v %v", r, ok)
	}
	m.get("list:x", build)
	for i := range 20 {
		m.get("map:"+strconv.Itoa(i), build)
	}
	for i := range 17 {
		if _, ok := m.peek("map:" + strconv.Itoa(i)); ok {
			t.Errorf("map:%d kept beyond the bound", i)
		}
	}
	for i := 17; i < 20; i++ {
		if _, ok := m.peek("map:" + strconv.Itoa(i)); !ok {
			t.Errorf("map:%d, one of the newest, dropped", i)
		}
	}
	if _, ok := m.peek("list:x"); !ok {
		t.Error("drawing maps dropped an answer of another kind")
	}
	// A key forgotten is built again when asked for.
	before := builds
	m.get("map:0", build)
	if builds != before+1 {
		t.Errorf("a forgotten map was not drawn again")
	}
}
