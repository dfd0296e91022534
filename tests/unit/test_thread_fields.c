/* The dump's thread reader (src/platform/linux/thread_read.c, through the one-shot sampler)
 * against this test's own reading of /proc, field by field: a thread set up with known values
 * (pinned to a CPU, CPU time in user and system mode, page faults, a nice value, an RT or
 * batch policy, a blocked signal, a name with ')' and '\\' in it) asleep in read(), and the
 * main thread, whose counters are its own and not the whole process's. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "threadlens/sampler.h"

#define SUBJECT_NAME "tf) s\\u(b"
#define TOUCH_BYTES (4u << 20)   /* a page's minor fault each at least (1024 of 4 KiB) */

/* Pages the subject faults in: without transparent huge pages (a kernel with THP "always",
 * as the arm64 VM's, faults 4 MiB in with two faults), at this kernel's page size. */
static size_t touch_pages(void)
{
    long page = sysconf(_SC_PAGESIZE);
    return TOUCH_BYTES / (size_t)(page > 0 ? page : 4096);
}
#define NICE_VALUE 7
#define RT_PRIORITY 5

/* What /proc says of one thread, read and parsed here without the code under test. */
typedef struct proc_view {
    char name[64], state, sig_blocked[32], wchan[128];
    unsigned long long utime, stime, minflt, majflt, start, vol, invol;
    long priority, nice, processor, rt_priority, policy, syscall_nr;
} proc_view;

static int subject_tid, subject_pipe[2], pinned_cpu;
static pthread_t subject;

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static double thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *subject_main(void *arg)
{
    (void)arg;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(pinned_cpu, &one);
    sched_setaffinity(0, sizeof one, &one);   /* its last CPU is then known */
    prctl(PR_SET_NAME, SUBJECT_NAME, 0, 0, 0);
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &blocked, NULL);
    volatile unsigned long spin = 0;
    for (double t0 = thread_cpu_ms(); thread_cpu_ms() - t0 < 60;)   /* user time */
        for (int i = 0; i < 100000; i++)
            spin += (unsigned long)i;
    int fd = open("/dev/null", O_WRONLY);
    for (double t0 = thread_cpu_ms(); thread_cpu_ms() - t0 < 60;)   /* system time */
        if (write(fd, "0123456789abcdef", 16) < 0)
            break;
    close(fd);
    char *mem = mmap(NULL, TOUCH_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem != MAP_FAILED)
        madvise(mem, TOUCH_BYTES, MADV_NOHUGEPAGE);
    for (size_t i = 0; mem != MAP_FAILED && i < touch_pages(); i++)
        mem[i * (TOUCH_BYTES / touch_pages())] = 1;
    subject_tid = (int)syscall(SYS_gettid);
    char c;
    while (read(subject_pipe[0], &c, 1) == 1 && c != 'x') {
    }
    if (mem != MAP_FAILED)
        munmap(mem, TOUCH_BYTES);
    return NULL;
}

static bool read_text(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = '\0';
    return n > 0;
}

static bool task_file(int tid, const char *file, char *buf, size_t cap)
{
    char path[96];
    snprintf(path, sizeof path, "/proc/self/task/%d/%s", tid, file);
    return read_text(path, buf, cap);
}

/* stat as proc(5) numbers it: field 3 is the state, the first after the comm's last ')'. */
static void view_stat(int tid, proc_view *v)
{
    char buf[2048];
    assert_true(task_file(tid, "stat", buf, sizeof buf));
    char *open = strchr(buf, '('), *close = strrchr(buf, ')');
    assert_non_null(open);
    assert_non_null(close);
    snprintf(v->name, sizeof v->name, "%.*s", (int)(close - open - 1), open + 1);
    unsigned long long f[64] = {0};
    char *save = NULL;
    int n = 3;
    for (char *tok = strtok_r(close + 2, " ", &save); tok && n < 64; tok = strtok_r(NULL, " ", &save), n++) {
        if (n == 3)
            v->state = tok[0];
        else
            f[n] = strtoull(tok, NULL, 10);
    }
    assert_true(n > 41);
    v->minflt = f[10], v->majflt = f[12], v->utime = f[14], v->stime = f[15];
    v->priority = (long)(long long)f[18], v->nice = (long)(long long)f[19], v->start = f[22];
    v->processor = (long)f[39], v->rt_priority = (long)f[40], v->policy = (long)f[41];
}

static const char *status_line(const char *text, const char *key)
{
    size_t k = strlen(key);
    for (const char *l = text; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (!strncmp(l, key, k) && l[k] == ':')
            return l + k + 1;
    return "";
}

static void view_of(int tid, proc_view *v)
{
    memset(v, 0, sizeof *v);
    view_stat(tid, v);
    char buf[4096];
    assert_true(task_file(tid, "status", buf, sizeof buf));
    v->vol = strtoull(status_line(buf, "voluntary_ctxt_switches"), NULL, 10);
    v->invol = strtoull(status_line(buf, "nonvoluntary_ctxt_switches"), NULL, 10);
    sscanf(status_line(buf, "SigBlk"), " %31[0-9a-f]", v->sig_blocked);
    if (task_file(tid, "wchan", buf, sizeof buf))
        snprintf(v->wchan, sizeof v->wchan, "%s", buf + strspn(buf, "_"));
    v->syscall_nr = task_file(tid, "syscall", buf, sizeof buf) ? strtol(buf, NULL, 10) : -2;
}

static uint64_t ticks_ms(unsigned long long ticks)
{
    return ticks * 1000 / (unsigned long long)sysconf(_SC_CLK_TCK);
}

/* Until tid sleeps in read() and its run time no longer moves (bounded). */
static void wait_asleep(int tid)
{
    char last[128] = "", now[128];
    for (int i = 0; i < 500; i++) {
        sleep_ms(20);
        proc_view v;
        view_of(tid, &v);
        if (v.syscall_nr != SYS_read || !task_file(tid, "schedstat", now, sizeof now))
            continue;
        if (!strcmp(now, last))
            return;
        snprintf(last, sizeof last, "%s", now);
    }
    fail_msg("thread %d never settled in read()", tid);
}

static int setup(void **state)
{
    (void)state;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    pinned_cpu = ncpu > 1 ? (int)ncpu - 1 : 0;
    assert_int_equal(pipe(subject_pipe), 0);
    assert_int_equal(pthread_create(&subject, NULL, subject_main, NULL), 0);
    for (int i = 0; i < 500 && !subject_tid; i++)
        sleep_ms(10);
    assert_true(subject_tid > 0);
    assert_int_equal(setpriority(PRIO_PROCESS, (id_t)subject_tid, NICE_VALUE), 0);
    struct sched_param rt = {.sched_priority = RT_PRIORITY}, none = {0};
    if (sched_setscheduler(subject_tid, SCHED_FIFO, &rt) != 0)   /* RT needs root: else batch */
        assert_int_equal(sched_setscheduler(subject_tid, SCHED_BATCH, &none), 0);
    wait_asleep(subject_tid);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(write(subject_pipe[1], "x", 1), 1);
    pthread_join(subject, NULL);
    close(subject_pipe[0]);
    close(subject_pipe[1]);
    return 0;
}

static tl_snapshot *take_once(void)
{
    tl_sampler_options o;
    sampler_default_options(&o);
    o.stacks = o.jvm = false;
    int pid = getpid();
    tl_sampler *s;
    tl_snapshot *snap;
    tl_error err = {0};
    assert_int_equal(sampler_open(&s, &pid, 1, &o, &err), TL_OK);
    tl_status st = sampler_take(s, &snap, &err);
    if (st != TL_OK && st != TL_PARTIAL)
        fail_msg("sampler_take: %s", err.msg);
    sampler_close(s);
    return snap;
}

static bool same_view(const proc_view *a, const proc_view *b)
{
    return !memcmp(a, b, sizeof *a);   /* both memset before filling */
}

/* Every field of t against v. */
static void assert_fields(const tl_thread *t, const proc_view *v)
{
    assert_string_equal(t->name, v->name);
    assert_int_equal(t->state, v->state);
    assert_int_equal(t->cpu_user_ms, ticks_ms(v->utime));
    assert_int_equal(t->cpu_system_ms, ticks_ms(v->stime));
    assert_int_equal(t->minor_faults, v->minflt);
    assert_int_equal(t->major_faults, v->majflt);
    assert_int_equal(t->last_cpu, v->processor);
    assert_int_equal(t->priority, v->priority);
    assert_int_equal(t->nice, v->nice);
    assert_int_equal(t->policy, v->policy);
    assert_int_equal(t->rt_priority, v->rt_priority);
    assert_int_equal(t->start_time_ms, ticks_ms(v->start));
    assert_int_equal(t->voluntary_ctxt_switches, v->vol);
    assert_int_equal(t->nonvoluntary_ctxt_switches, v->invol);
    assert_string_equal(t->sig_blocked ? t->sig_blocked : "", v->sig_blocked);
    assert_string_equal(t->wchan ? t->wchan : "", v->wchan);
    assert_true(t->syscall.valid);
    assert_int_equal(t->syscall.nr, v->syscall_nr);
}

/* The sleeping subject: the dump's reader says exactly what /proc says, and that is what the
 * thread was made to be. A read between two equal views of /proc is compared (a stray wake-up
 * between them: tried again). */
static void sleeping_thread_every_field(void **state)
{
    (void)state;
    for (int attempt = 0; attempt < 5; attempt++) {
        proc_view before, after;
        view_of(subject_tid, &before);
        tl_snapshot *snap = take_once();
        view_of(subject_tid, &after);
        if (!same_view(&before, &after)) {
            snapshot_free(snap);
            continue;
        }
        const tl_thread *t = model_find_thread(snap, subject_tid, NULL);
        assert_non_null(t);
        assert_fields(t, &before);
        assert_string_equal(t->name, SUBJECT_NAME);
        assert_int_equal(t->last_cpu, pinned_cpu);
        assert_int_equal(t->nice, NICE_VALUE);
        assert_true(t->cpu_user_ms >= 30 && t->cpu_system_ms >= 10);
        assert_true(t->minor_faults >= touch_pages());
        assert_int_equal(t->syscall.nr, SYS_read);
        assert_int_equal(t->policy == SCHED_FIFO ? t->rt_priority : RT_PRIORITY, RT_PRIORITY);
        assert_true(t->policy == SCHED_FIFO || t->policy == SCHED_BATCH);
        snapshot_free(snap);
        return;
    }
    fail_msg("thread %d kept changing while it should sleep", subject_tid);
}

static unsigned long long process_minflt(void)
{
    char buf[2048];
    assert_true(read_text("/proc/self/stat", buf, sizeof buf));
    const char *p = strrchr(buf, ')');
    for (int field = 2; p && field < 10; field++)
        p = strchr(p + 1, ' ');
    assert_non_null(p);
    return strtoull(p + 1, NULL, 10);
}

/* The main thread (TID = PID) runs this test, so its counters move: the dump's lie between two
 * reads of its own task stat, and below the whole process's, which /proc/PID/stat sums (the
 * subject alone faulted TOUCH_BYTES in). */
static void main_thread_own_counters(void **state)
{
    (void)state;
    proc_view before, after;
    view_of(getpid(), &before);
    tl_snapshot *snap = take_once();
    view_of(getpid(), &after);
    const tl_thread *t = model_find_thread(snap, getpid(), NULL);
    assert_non_null(t);
    assert_true(t->minor_faults >= before.minflt && t->minor_faults <= after.minflt);
    assert_true(t->cpu_user_ms >= ticks_ms(before.utime) && t->cpu_user_ms <= ticks_ms(after.utime));
    assert_true(t->cpu_system_ms >= ticks_ms(before.stime) && t->cpu_system_ms <= ticks_ms(after.stime));
    assert_true(t->minor_faults + touch_pages() <= process_minflt());
    assert_int_equal(t->start_time_ms, ticks_ms(before.start));
    assert_int_equal(t->policy, before.policy);
    assert_int_equal(t->nice, before.nice);
    assert_string_equal(t->name, before.name);
    snapshot_free(snap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sleeping_thread_every_field),
        cmocka_unit_test(main_thread_own_counters),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
