/* The event loop: one thread reads keys and draws, the worker samples. Keys, signals and
 * finished samples all wake one poll(); state changes set dirty flags and the screen is
 * redrawn once per pass. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ui.h"
#include "ui_state.h"
#include "ui_term.h"

#define POLL_IDLE_MS 1000     /* wake up at least this often, even with nothing to do */
#define UI_FD_LIMIT 20000     /* descriptors the live view asks for (see raise_fd_limit) */
#define EOF_STRIKES 8         /* readable stdin that yields no key this often: it is closed */

static const int handled_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define NSIGNALS (sizeof handled_signals / sizeof handled_signals[0])

static volatile sig_atomic_t got_signal, got_tstp;
static int signal_wake_fd = -1;
static struct sigaction old_actions[NSIGNALS], old_pipe, old_tstp;

static void on_signal(int sig)
{
    int saved = errno;
    got_signal = sig;
    char byte = 0;
    if (signal_wake_fd >= 0)
        (void)!write(signal_wake_fd, &byte, 1);
    errno = saved;
}

/* Ctrl-Z is deferred to the loop, which stops only once no thread of the target is stopped. */
static void on_tstp(int sig)
{
    (void)sig;
    int saved = errno;
    got_tstp = 1;
    char byte = 0;
    if (signal_wake_fd >= 0)
        (void)!write(signal_wake_fd, &byte, 1);
    errno = saved;
}

static void set_handler(int sig, void (*fn)(int), struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, old);
}

static void signals_install(int wake_fd)
{
    signal_wake_fd = wake_fd;
    got_signal = got_tstp = 0;
    for (size_t i = 0; i < NSIGNALS; i++)
        set_handler(handled_signals[i], on_signal, &old_actions[i]);
    set_handler(SIGPIPE, SIG_IGN, &old_pipe);
    set_handler(SIGTSTP, on_tstp, &old_tstp);
}

static void signals_restore(void)
{
    for (size_t i = 0; i < NSIGNALS; i++)
        sigaction(handled_signals[i], &old_actions[i], NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    sigaction(SIGTSTP, &old_tstp, NULL);
    signal_wake_fd = -1;
}

/* Ctrl-Z: let the sample in progress finish (its threads run again), give the terminal back,
 * stop; on SIGCONT take the screen again and go on. */
static void suspend_now(ui_state *st)
{
    got_tstp = 0;
    worker_suspend(st->worker);
    term_suspend();
    set_handler(SIGTSTP, SIG_DFL, NULL);
    raise(SIGTSTP);
    set_handler(SIGTSTP, on_tstp, NULL);
    term_resume();
    worker_resume(st->worker);
    st->dirty |= DIRTY_DRAW;
}

int ui_exit_signal(void)
{
    return got_signal;
}

static void send_request(ui_state *st, bool now)
{
    const tl_process *p = NULL;
    const tl_thread *t = st->pane != PANE_NONE && st->cur ? rows_selected_thread(st, &p) : NULL;
    ui_request r = {.stack_tid = t ? t->tid : 0, .regions = st->pane == PANE_SHARED,
                    .regions_pid = p ? p->pid : 0};
    worker_request(st->worker, &r, now && !st->frozen);
}

static void process_dirty(ui_state *st)
{
    if (st->dirty & DIRTY_ROWS) {
        st->dirty &= ~DIRTY_ROWS;
        if (!rows_rebuild(st))
            snprintf(st->status, sizeof st->status, "out of memory building the table");
        st->dirty |= DIRTY_DRAW;
    }
    if (st->dirty & DIRTY_REQUEST) {
        send_request(st, st->dirty & DIRTY_NOW);
        st->dirty &= ~(DIRTY_REQUEST | DIRTY_NOW);
    }
    if (st->want_all_stacks && st->opt->loaded)
        st->want_all_stacks = false;   /* a saved dump has what it has */
    if (st->want_all_stacks) {
        st->want_all_stacks = false;
        worker_request_all_stacks(st->worker);
        snprintf(st->status, sizeof st->status, "taking every thread's stack...");
        st->dirty |= DIRTY_DRAW;
    }
    if (st->dirty & DIRTY_DRAW) {
        st->dirty &= ~DIRTY_DRAW;
        view_draw(st);
    }
}

static void apply_result(ui_state *st, ui_result *res)
{
    st->refreshes++;
    if (!res->snap) {
        snprintf(st->status, sizeof st->status, "sampling failed: %s", res->err.msg);
        st->dirty |= DIRTY_DRAW;
        return;
    }
    if (st->frozen && !res->all_stacks) {
        snapshot_free(res->snap);   /* taken just before the freeze */
        return;
    }
    st->last = *res;
    st->last.snap = NULL;
    rows_apply_snapshot(st, res->snap);
    if (res->all_stacks) {
        st->frozen = true;
        worker_freeze(st->worker, true);
        snprintf(st->status, sizeof st->status, "every thread's stack taken; view frozen (Space resumes)");
    }
    if (st->pane != PANE_NONE)
        st->dirty |= DIRTY_REQUEST;   /* the selected thread may be another tid now */
}

static void drain_wake(ui_state *st, int fd)
{
    char buf[64];
    while (read(fd, buf, sizeof buf) > 0)
        ;
    ui_result res;
    if (worker_collect(st->worker, &res))
        apply_result(st, &res);
}

/* Reads every waiting key. False when the terminal is gone. */
static bool read_keys(ui_state *st, int *strikes)
{
    int n = 0, k;
    while (n < 256 && (k = term_key()) != TK_NONE) {
        keys_handle(st, k);
        n++;
    }
    *strikes = n ? 0 : *strikes + 1;
    return *strikes < EOF_STRIKES;
}

static void loop(ui_state *st, int wake_fd)
{
    bool use_stdin = isatty(STDIN_FILENO);
    int strikes = 0;
    st->dirty |= DIRTY_DRAW | DIRTY_REQUEST;
    if (st->opt->lesson)
        lesson_start(st);
    while (!st->quit && !got_signal) {
        if (got_tstp)
            suspend_now(st);
        process_dirty(st);
        if (st->opt->iterations && st->refreshes >= st->opt->iterations)
            break;
        struct pollfd fds[2] = {{.fd = wake_fd, .events = POLLIN}, {.fd = STDIN_FILENO, .events = POLLIN}};
        int rc = poll(fds, use_stdin ? 2 : 1, POLL_IDLE_MS);
        if (rc < 0) {
            if (errno != EINTR)
                break;
            int ignored = 0;
            read_keys(st, &ignored);   /* a resize (SIGWINCH) arrives as a key */
            continue;
        }
        if (use_stdin && (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL)))
            break;   /* the terminal closed */
        if (use_stdin && (fds[1].revents & POLLIN) && !read_keys(st, &strikes))
            break;
        if (fds[0].revents & POLLIN)
            drain_wake(st, wake_fd);
    }
}

static void state_free(ui_state *st)
{
    snapshot_free(st->prev);
    snapshot_free(st->cur);
    free(st->rates);
    free(st->rows);
    groups_rows_free(st);
    statehist_free(st);
}

static bool worker_left_running;   /* stuck on the target: it may still write the wake pipe */

static tl_status run_started(const ui_options *o, int wake[2], tl_error *err)
{
    ui_state st = {.opt = o, .sort_col = COL_CPU, .sort_desc = true, .tree = true};
    tl_status rc = TL_OK;
    if (o->loaded) {   /* a saved dump: shown once, frozen, nothing sampled */
        rows_apply_snapshot(&st, o->loaded);
        st.frozen = true;
        st.refreshes = 1;
        snprintf(st.status, sizeof st.status, "a saved dump: frozen (q quits)");
    } else if ((rc = worker_start(&st.worker, o, wake[1], err)) != TL_OK) {
        return rc;
    }
    rc = term_open(o->color, err);
    if (rc == TL_OK) {
        loop(&st, wake[0]);
        term_close();
    }
    if (!worker_stop(st.worker))   /* finishes the sample in progress: nothing stays stopped */
        worker_left_running = true;
    state_free(&st);
    return rc;
}

/* The sampler keeps three /proc files open per thread between refreshes (one read each
 * instead of a path walk, open, read and close): allow as many descriptors as the hard limit
 * does, up to a bound. Safe here: the UI waits with poll(), never select(). When this fails
 * the sampler keeps fewer and reads the rest by path. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > UI_FD_LIMIT ? UI_FD_LIMIT : rl.rlim_max;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
        rl.rlim_cur = want;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

tl_status ui_run(const ui_options *o, tl_error *err)
{
    setlocale(LC_ALL, "");
    raise_fd_limit();
    int wake[2];
    if (pipe2(wake, O_NONBLOCK | O_CLOEXEC) != 0)
        return tl_error_set(err, TL_EIO, "cannot create the wake-up pipe: %s", strerror(errno));
    signals_install(wake[1]);
    tl_status rc = run_started(o, wake, err);
    signals_restore();
    if (!worker_left_running) {
        close(wake[0]);
        close(wake[1]);
    }
    return rc;
}
