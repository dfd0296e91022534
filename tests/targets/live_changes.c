/* A target whose threads change on command, for the live view's "does the table follow"
 * test. Set up: "lc-reader" blocks in read() on a pipe nobody writes. Then it reads commands
 * from stdin, one a line, and answers each with "done" (or "error: ..."):
 *   lock      "lc-holder" takes a mutex and sleeps holding it; the reader gets a byte on its
 *             pipe and blocks on that mutex
 *   spawn     a new thread "lc-late" sleeps in nanosleep
 *   end-late  lc-late is woken by SIGUSR1 and exits; joined, and gone from /proc
 *   fork      a child process "lc-child" sleeps in pause()
 *   reap      lc-child is killed and reaped
 *   rename    lc-holder is renamed "lc-renamed" by the main thread while it sleeps on
 * After a command is complete (every thread blocked where it should be) and before "done",
 * the main thread names itself "lc-step-N" (N counts the commands; "lc-step-0" at ready): a
 * sample that reads that name reads the threads it reads afterwards as they are after the change.
 * Prints "reader=<tid>" and "ready"; exits when stdin closes. */
#include <sys/wait.h>

#include "waits_target.h"

#define LC_LINE_MAX 64    /* a command line longer than this is an error, not a command */
#define LC_SLEEP_S 3600   /* the sleepers' nanosleep: long, and restarted if it ever ends */
#define LC_END_TRIES 100  /* x 100 ms: end-late gives up after 10 s */

static pthread_mutex_t lc_mutex = PTHREAD_MUTEX_INITIALIZER;
static int reader_pipe[2];
static waits_tid_box reader_box = WAITS_TID_BOX_INIT, holder_box = WAITS_TID_BOX_INIT;
static pthread_t holder, late;
static int late_tid;
static volatile sig_atomic_t late_stop;
static pid_t child;

/* Sleeps until *stop is set (then a signal ends the nanosleep), or for good. */
static void sleep_long(const volatile sig_atomic_t *stop)
{
    while (!*stop) {
        struct timespec ts = {LC_SLEEP_S, 0};
        nanosleep(&ts, NULL);
    }
}

static void on_wake(int sig)
{
    (void)sig;
}

static void *reader_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "lc-reader");
    waits_box_put(&reader_box, waits_gettid());
    char c;
    if (read(reader_pipe[0], &c, 1) == 1)
        pthread_mutex_lock(&lc_mutex);   /* held by lc-holder for good: never returns */
    target_wait_forever();
    return NULL;
}

static void *holder_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "lc-holder");
    pthread_mutex_lock(&lc_mutex);
    waits_box_put(&holder_box, waits_gettid());
    static const volatile sig_atomic_t never;
    sleep_long(&never);
    return NULL;
}

static void *late_main(void *arg)
{
    waits_tid_box *box = arg;
    pthread_setname_np(pthread_self(), "lc-late");
    waits_box_put(box, waits_gettid());
    sleep_long(&late_stop);
    return NULL;
}

static const char *cmd_lock(void)
{
    if (holder_box.tid)
        return "lc-holder already holds the mutex";
    if (pthread_create(&holder, NULL, holder_main, NULL) != 0)
        return "cannot start lc-holder";
    int htid = waits_box_get(&holder_box);
    waits_until_blocked(htid, WAITS_ANY_ARG);
    if (write(reader_pipe[1], "x", 1) != 1)
        return "cannot write to the reader's pipe";
    waits_until_blocked(reader_box.tid, (uintptr_t)&lc_mutex);
    return NULL;
}

static const char *cmd_spawn(void)
{
    static waits_tid_box box = WAITS_TID_BOX_INIT;
    if (late_tid)
        return "lc-late already runs";
    late_stop = 0;
    box.tid = 0;
    if (pthread_create(&late, NULL, late_main, &box) != 0)
        return "cannot start lc-late";
    late_tid = waits_box_get(&box);
    waits_until_blocked(late_tid, WAITS_ANY_ARG);
    return NULL;
}

/* A joined thread may still be listed in /proc for a moment (it clears its tid before the
 * kernel releases it): "done" only once it is gone from there too. */
static const char *late_gone(void)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d", late_tid);
    struct timespec ts = {0, 10 * 1000 * 1000};
    for (int i = 0; i < WAITS_BLOCK_TRIES && access(path, F_OK) == 0; i++)
        nanosleep(&ts, NULL);
    if (access(path, F_OK) == 0)
        return "lc-late stays listed in /proc/self/task after its join";
    late_tid = 0;
    return NULL;
}

static const char *cmd_end_late(void)
{
    if (!late_tid)
        return "no lc-late to end";
    late_stop = 1;
    for (int i = 0; i < LC_END_TRIES; i++) {
        pthread_kill(late, SIGUSR1);   /* its handler does nothing: nanosleep returns EINTR */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 100 * 1000 * 1000;
        until.tv_sec += until.tv_nsec / 1000000000;
        until.tv_nsec %= 1000000000;
        if (pthread_timedjoin_np(late, NULL, &until) == 0)
            return late_gone();
    }
    return "lc-late did not end";
}

/* The child names itself, says so through a pipe, then sleeps until killed. */
static const char *cmd_fork(void)
{
    int named[2];
    if (child)
        return "lc-child already runs";
    if (pipe(named) != 0)
        return "cannot make a pipe";
    pid_t parent = getpid(), pid = fork();
    if (pid == 0) {
        target_follow_parent(parent);
        close(reader_pipe[0]);   /* the reader's pipe stays the parent's alone */
        close(reader_pipe[1]);
        prctl(PR_SET_NAME, "lc-child");
        (void)!write(named[1], "x", 1);
        target_wait_forever();
    }
    close(named[1]);
    char c;
    ssize_t n = pid > 0 ? read(named[0], &c, 1) : -1;
    close(named[0]);
    if (pid < 0 || n != 1)
        return "cannot fork lc-child";
    child = pid;
    return NULL;
}

static const char *cmd_reap(void)
{
    if (!child)
        return "no lc-child to reap";
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    child = 0;
    return NULL;
}

static const char *cmd_rename(void)
{
    if (!holder_box.tid)
        return "no lc-holder to rename (send lock first)";
    int rc = pthread_setname_np(holder, "lc-renamed");
    return rc == 0 ? NULL : "cannot rename lc-holder";
}

static const struct {
    const char *name;
    const char *(*run)(void);
} commands[] = {
    {"lock", cmd_lock}, {"spawn", cmd_spawn}, {"end-late", cmd_end_late},
    {"fork", cmd_fork}, {"reap", cmd_reap},   {"rename", cmd_rename},
};

static const char *run_command(const char *line)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(line, commands[i].name) == 0)
            return commands[i].run();
    return "unknown command";
}

static void mark_step(unsigned step)
{
    char name[16];
    snprintf(name, sizeof name, "lc-step-%u", step);
    pthread_setname_np(pthread_self(), name);
}

static void serve(void)
{
    char line[LC_LINE_MAX];
    unsigned step = 0;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        const char *err = run_command(line);
        if (err) {
            printf("error: %s\n", err);
        } else {
            mark_step(++step);
            printf("done\n");
        }
        fflush(stdout);
    }
}

int main(void)
{
    if (pipe(reader_pipe) != 0)
        target_die("pipe", errno);
    struct sigaction wake = {.sa_handler = on_wake};   /* no SA_RESTART */
    if (sigaction(SIGUSR1, &wake, NULL) != 0)
        target_die("sigaction", errno);
    mark_step(0);
    waits_start(reader_main, NULL);
    int rtid = waits_box_get(&reader_box);
    waits_until_blocked(rtid, (uint64_t)reader_pipe[0]);
    printf("reader=%d\n", rtid);
    target_ready();
    serve();
    return 0;
}
