// go_idle: a Go program whose threads sit idle (issue 14, item 3). Goroutines locked to their
// own OS threads block on a channel, so those threads park in the runtime
// (runtime.futex <- runtime.futexsleep <- runtime.notesleep ...); others sleep in the
// scheduler. Prints "threads N" (the locked threads) and "ready".
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"
)

const locked = 4

func parkLocked(started *sync.WaitGroup, never chan struct{}) {
	runtime.LockOSThread()
	started.Done()
	<-never
}

func main() {
	runtime.GOMAXPROCS(4)
	never := make(chan struct{})
	var started sync.WaitGroup
	started.Add(locked)
	for i := 0; i < locked; i++ {
		go parkLocked(&started, never)
	}
	started.Wait()
	// a little work on every P, so that idle Ms exist besides the locked ones
	var work sync.WaitGroup
	for i := 0; i < 8; i++ {
		work.Add(1)
		go func() {
			defer work.Done()
			x := 0
			for j := 0; j < 1000000; j++ {
				x += j
			}
			_ = x
		}()
	}
	work.Wait()
	time.Sleep(200 * time.Millisecond)
	fmt.Printf("threads %d\nready\n", locked)
	os.Stdout.Sync()
	for { // a sleeping goroutine: the runtime does not call the others deadlocked
		time.Sleep(time.Hour)
	}
}
