//go:build unix

package slack

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, user and system. On a
// machine shared with other work, benchmarks report it per operation next
// to the wall-clock time, which the others' load inflates.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
