/* bench-target: the process the benchmark looks at.
 *
 *   bench-target NTHREADS HBFILE   start NTHREADS workers sleeping in a known call chain
 *                                  (bench_level_a -> bench_level_b -> bench_level_c ->
 *                                  nanosleep) and a heartbeat thread; print "ready"; wait.
 *   bench-target --read HBFILE     print the heartbeat's record and reset it:
 *                                  "max_late_us=N wakeups=N fifo=0|1"
 *
 * The heartbeat runs at SCHED_FIFO when the kernel allows it (else at normal priority, and the
 * record says fifo=0). It sleeps to absolute deadlines 100 us apart and records the longest
 * time it was kept from running past a deadline (its lateness). A tool that stops the whole
 * process (gdb, eu-stack) keeps it from running for as long as it holds the process; a tool
 * that stops one thread at a time only delays it while it stops the heartbeat itself.
 * The record lives in HBFILE, a small file mapped by the target and by --read. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

enum { MAX_THREADS = 100000, HB_PERIOD_NS = 100000, WORKER_STACK = 256 * 1024 };
#define HB_MAGIC 0x54484c4e42454e43ull /* "THLNBENC" */

typedef struct hb_record {
    uint64_t magic;
    _Atomic int64_t max_late_ns;
    _Atomic uint64_t wakeups;
    _Atomic int fifo;
} hb_record;

static hb_record *hb;
static atomic_int workers_sleeping;

/* --- the known call chain: noipa keeps each frame real (no inlining, cloning, tail calls) --- */

__attribute__((noipa)) void bench_level_c(int id)
{
    struct timespec ts = {.tv_sec = 1000, .tv_nsec = id};
    atomic_fetch_add(&workers_sleeping, 1);
    for (;;)
        nanosleep(&ts, NULL);
}

__attribute__((noipa)) void bench_level_b(int id)
{
    bench_level_c(id);
    __asm__ volatile("" ::: "memory");
}

__attribute__((noipa)) void bench_level_a(int id)
{
    bench_level_b(id);
    __asm__ volatile("" ::: "memory");
}

static void *worker_main(void *arg)
{
    bench_level_a((int)(intptr_t)arg);
    return NULL;
}

/* --- the heartbeat --- */

static int64_t ts_ns(const struct timespec *t)
{
    return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static struct timespec ns_ts(int64_t ns)
{
    return (struct timespec){.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
}

static void hb_note_lateness(int64_t late)
{
    int64_t cur = atomic_load(&hb->max_late_ns);
    while (late > cur && !atomic_compare_exchange_weak(&hb->max_late_ns, &cur, late))
        ;
    atomic_fetch_add(&hb->wakeups, 1);
}

static void *heartbeat_main(void *arg)
{
    (void)arg;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t next = ts_ns(&now) + HB_PERIOD_NS;
    for (;;) {
        struct timespec deadline = ns_ts(next);
        int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL);
        if (rc == EINTR)
            continue;
        clock_gettime(CLOCK_MONOTONIC, &now);
        int64_t late = ts_ns(&now) - next;
        hb_note_lateness(late > 0 ? late : 0);
        next += HB_PERIOD_NS;
        if (next < ts_ns(&now))
            next = ts_ns(&now) + HB_PERIOD_NS; /* skip missed beats rather than burst */
    }
    return NULL;
}

static int start_heartbeat(void)
{
    pthread_attr_t attr;
    struct sched_param sp = {.sched_priority = 10};
    pthread_t t;
    pthread_attr_init(&attr);
    pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
    pthread_attr_setschedparam(&attr, &sp);
    int rc = pthread_create(&t, &attr, heartbeat_main, NULL);
    atomic_store(&hb->fifo, rc == 0);
    if (rc != 0) {
        fprintf(stderr, "bench-target: SCHED_FIFO not permitted (%s); heartbeat at normal priority\n",
                strerror(rc));
        prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
        rc = pthread_create(&t, NULL, heartbeat_main, NULL);
    }
    pthread_attr_destroy(&attr);
    if (rc == 0)
        pthread_setname_np(t, "heartbeat");
    return rc;
}

/* --- the shared record --- */

static hb_record *record_map(const char *path, int flags)
{
    int fd = open(path, flags, 0600);
    if (fd < 0 || ((flags & O_CREAT) && ftruncate(fd, sizeof(hb_record)) != 0)) {
        fprintf(stderr, "bench-target: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    void *p = mmap(NULL, sizeof(hb_record), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        fprintf(stderr, "bench-target: cannot map %s: %s\n", path, strerror(errno));
        return NULL;
    }
    return p;
}

static int record_read(const char *path)
{
    hb = record_map(path, O_RDWR);
    if (!hb)
        return 2;
    if (hb->magic != HB_MAGIC) {
        fprintf(stderr, "bench-target: %s is not a heartbeat record\n", path);
        return 2;
    }
    int64_t late = atomic_exchange(&hb->max_late_ns, 0);
    uint64_t wakeups = atomic_exchange(&hb->wakeups, 0);
    printf("max_late_us=%lld wakeups=%llu fifo=%d\n", (long long)(late / 1000),
           (unsigned long long)wakeups, atomic_load(&hb->fifo));
    return 0;
}

/* --- the target --- */

static int start_workers(long n)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WORKER_STACK);
    for (long i = 0; i < n; i++) {
        pthread_t t;
        int rc = pthread_create(&t, &attr, worker_main, (void *)(intptr_t)i);
        if (rc != 0) {
            fprintf(stderr, "bench-target: thread %ld of %ld: %s\n", i, n, strerror(rc));
            return rc;
        }
        char name[32]; /* at most "worker-99999": within the kernel's 15 bytes */
        snprintf(name, sizeof name, "worker-%ld", i);
        pthread_setname_np(t, name);
    }
    pthread_attr_destroy(&attr);
    return 0;
}

static int run_target(long n, const char *path)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0); /* never outlive the harness */
    hb = record_map(path, O_RDWR | O_CREAT | O_TRUNC);
    if (!hb)
        return 2;
    hb->magic = HB_MAGIC;
    if (start_workers(n) != 0 || start_heartbeat() != 0)
        return 2;
    while (atomic_load(&workers_sleeping) < n)
        usleep(1000);
    usleep(20000);
    atomic_store(&hb->max_late_ns, 0); /* start-up does not count */
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--read"))
        return record_read(argv[2]);
    char *end;
    long n = argc == 3 ? strtol(argv[1], &end, 10) : -1;
    if (argc != 3 || *end || n < 1 || n > MAX_THREADS) {
        fprintf(stderr, "usage: bench-target NTHREADS HBFILE | bench-target --read HBFILE\n");
        return 64;
    }
    return run_target(n, argv[2]);
}
