// C++ condition variables (issue 14, item 2): libstdc++'s std::condition_variable::wait is
// pthread_cond_wait, wait_for and wait_until(steady_clock) are pthread_cond_clockwait against
// CLOCK_MONOTONIC (no FUTEX_CLOCK_REALTIME: the waits libuv-, Chromium- and HotSpot-like code
// does), wait_until(system_clock) is timed against CLOCK_REALTIME.
// Prints one "wait name=<thread name> tid=<tid> kind=condvar addr=<pthread_cond_t> owner=0"
// line per waiter, then "ready".
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

namespace {

struct Case {
    const char *name;
    int how;    // 0 wait, 1 wait_for, 2 wait_until(steady_clock), 3 wait_until(system_clock)
    std::mutex m;
    std::condition_variable cv;
    int tid = 0;
    bool waiting = false;
};

void waiter(Case *c)
{
    pthread_setname_np(pthread_self(), c->name);
    std::unique_lock<std::mutex> lock(c->m);
    c->tid = static_cast<int>(syscall(SYS_gettid));
    c->waiting = true;
    for (;;) {
        switch (c->how) {
        case 0: c->cv.wait(lock); break;
        case 1: c->cv.wait_for(lock, std::chrono::hours(1)); break;
        case 2: c->cv.wait_until(lock, std::chrono::steady_clock::now() + std::chrono::hours(1)); break;
        default: c->cv.wait_until(lock, std::chrono::system_clock::now() + std::chrono::hours(1)); break;
        }
    }
}

// The thread is in a futex call (its syscall file says a call is under way).
bool blocked(int tid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
    FILE *f = std::fopen(path, "r");
    if (!f)
        return false;
    long nr = -1;
    int n = std::fscanf(f, "%ld", &nr);
    std::fclose(f);
    return n == 1 && nr == SYS_futex;
}

}  // namespace

int main()
{
    static Case cases[] = {{"cxx-wait", 0, {}, {}}, {"cxx-wait-for", 1, {}, {}}, {"cxx-until-stdy", 2, {}, {}},
                           {"cxx-until-sys", 3, {}, {}}};
    std::vector<std::thread> threads;
    for (Case &c : cases) {
        threads.emplace_back(waiter, &c);
        for (int i = 0; i < 1000; i++) {
            {
                // the waiter released the mutex inside wait: it is on its way into the futex
                std::lock_guard<std::mutex> g(c.m);
                if (c.waiting && blocked(c.tid))
                    break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    for (Case &c : cases)
        std::printf("wait name=%s tid=%d kind=condvar addr=%p owner=0\n", c.name, c.tid,
                    static_cast<void *>(c.cv.native_handle()));
    std::printf("ready\n");
    std::fflush(stdout);
    for (;;)
        pause();
}
