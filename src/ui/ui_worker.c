#include "ui_worker.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WORKER_STOP_MS 50   /* q and Ctrl-C quit within 100 ms, even with a worker stuck */

struct ui_worker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    tl_sampler *sampler;          /* touched only by the worker thread once it runs */
    tl_sampler_options base;      /* options from the command line */
    unsigned delay_ms;
    int wake_fd;
    /* guarded by mu */
    ui_request req;
    bool quit, frozen, now, all_stacks, busy;
    bool suspended;               /* Ctrl-Z: no sample at all until resumed */
    bool done;                    /* worker_main returned */
    bool have_result;
    ui_result result;
    char stacks_error[256];       /* sticky: stacks failed for good (unsupported, no permission) */
};

static void result_free(ui_result *r)
{
    snapshot_free(r->snap);
    r->snap = NULL;
}

static void sampler_opts_for(const ui_worker *w, const ui_request *r, bool all, int *tid,
                             tl_sampler_options *o)
{
    *o = w->base;
    o->regions = r->regions;
    o->regions_pid = r->regions_pid;
    o->jvm = false;   /* a JVM attach every refresh would cost the target a safepoint each time */
    o->stack_tids = NULL;
    o->nstack_tids = 0;
    o->stacks = w->base.stacks && !w->stacks_error[0] && (all || r->stack_tid > 0);
    if (o->stacks && !all) {
        *tid = r->stack_tid;
        o->stack_tids = tid;
        o->nstack_tids = 1;
    }
}

/* One take; when stacks fail for good, remembers why and takes counters only. */
static void take_one(ui_worker *w, const ui_request *r, bool all, ui_result *res)
{
    int tid = 0;
    tl_sampler_options o;
    sampler_opts_for(w, r, all, &tid, &o);
    memset(res, 0, sizeof *res);
    res->all_stacks = all;
    res->stack_tid = all ? 0 : r->stack_tid;
    sampler_set_options(w->sampler, &o);
    res->status = sampler_take(w->sampler, &res->snap, &res->err);
    bool stacks_refused = res->status == TL_EUNSUPPORTED || res->status == TL_EPERM;
    if (!res->snap && o.stacks && stacks_refused) {
        snprintf(w->stacks_error, sizeof w->stacks_error, "%.200s", res->err.msg);
        o.stacks = false;
        sampler_set_options(w->sampler, &o);
        res->status = sampler_take(w->sampler, &res->snap, &res->err);
    }
    memcpy(res->stacks_error, w->stacks_error, sizeof res->stacks_error);
    if (!w->base.stacks)
        snprintf(res->stacks_error, sizeof res->stacks_error, "stacks are off (--no-stacks)");
}

static void wake_ui(ui_worker *w)
{
    char byte = 1;
    while (write(w->wake_fd, &byte, 1) < 0 && errno == EINTR)
        ;
}

static void deadline_after(struct timespec *ts, unsigned ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Waits (mu held) until the delay passed or something asks for a sample now. */
static void wait_for_turn(ui_worker *w)
{
    struct timespec until;
    deadline_after(&until, w->delay_ms);
    while (!w->quit && (w->suspended || (!w->now && !w->all_stacks))) {
        bool untimed = w->frozen || w->suspended;
        int rc = untimed ? pthread_cond_wait(&w->cv, &w->mu) : pthread_cond_timedwait(&w->cv, &w->mu, &until);
        if (rc == ETIMEDOUT && !untimed)
            break;
    }
}

static void publish(ui_worker *w, ui_result *res)
{
    pthread_mutex_lock(&w->mu);
    ui_result old = w->result;
    bool had = w->have_result;
    w->result = *res;
    w->have_result = true;
    w->busy = false;
    pthread_cond_broadcast(&w->cv);   /* worker_suspend may wait for this */
    pthread_mutex_unlock(&w->mu);
    if (had)
        result_free(&old);
    wake_ui(w);
}

static void *worker_main(void *arg)
{
    ui_worker *w = arg;
    pthread_mutex_lock(&w->mu);
    if (w->have_result)
        wait_for_turn(w);   /* the first sample was taken by worker_start */
    while (!w->quit) {
        ui_request req = w->req;
        bool all = w->all_stacks;
        w->all_stacks = w->now = false;
        w->busy = true;
        pthread_mutex_unlock(&w->mu);
        ui_result res;
        take_one(w, &req, all, &res);
        publish(w, &res);
        pthread_mutex_lock(&w->mu);
        wait_for_turn(w);
    }
    w->done = true;
    pthread_cond_broadcast(&w->cv);   /* worker_stop waits for this, with a deadline */
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* The worker must not take the signals meant for the UI thread (INT, TERM, HUP, WINCH...). */
static int start_thread(ui_worker *w)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&w->thread, NULL, worker_main, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static void init_sync(ui_worker *w)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&w->mu, NULL);
}

/* The first sample, before the thread starts: a target that cannot be sampled at all fails
 * the start (and the first screen has data at once). */
static tl_status take_first(ui_worker *w, tl_error *err)
{
    ui_result first;
    take_one(w, &w->req, false, &first);
    if (!first.snap) {
        if (err)
            *err = first.err;
        return first.status != TL_OK ? first.status : TL_EIO;
    }
    w->result = first;
    w->have_result = true;
    wake_ui(w);
    return TL_OK;
}

tl_status worker_start(ui_worker **out, const ui_options *o, int wake_fd, tl_error *err)
{
    *out = NULL;
    ui_worker *w = calloc(1, sizeof *w);
    if (!w)
        return tl_error_set(err, TL_ENOMEM, "out of memory starting the sampling thread");
    w->base = o->sampler;
    w->base.incremental = true;   /* refreshes re-read kept files and what changed */
    w->delay_ms = o->delay_ms;
    w->wake_fd = wake_fd;
    tl_status st = sampler_open(&w->sampler, o->pids, o->npids, &w->base, err);
    if (st != TL_OK) {
        free(w);
        return st;
    }
    st = take_first(w, err);
    if (st != TL_OK) {
        sampler_close(w->sampler);
        free(w);
        return st;
    }
    init_sync(w);
    int rc = start_thread(w);
    if (rc != 0) {
        result_free(&w->result);
        sampler_close(w->sampler);
        free(w);
        return tl_error_set(err, TL_ENOMEM, "cannot start the sampling thread: %s", strerror(rc));
    }
    *out = w;
    return TL_OK;
}

void worker_request(ui_worker *w, const ui_request *r, bool now)
{
    if (!w)   /* top --load: a saved dump, no sampler */
        return;
    pthread_mutex_lock(&w->mu);
    w->req = *r;
    w->now = w->now || now;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void worker_request_all_stacks(ui_worker *w)
{
    if (!w)   /* top --load: a saved dump, no sampler */
        return;
    pthread_mutex_lock(&w->mu);
    w->all_stacks = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void worker_freeze(ui_worker *w, bool frozen)
{
    if (!w)   /* top --load: a saved dump, no sampler */
        return;
    pthread_mutex_lock(&w->mu);
    w->frozen = frozen;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void worker_suspend(ui_worker *w)
{
    if (!w)   /* top --load: a saved dump, no sampler */
        return;
    pthread_mutex_lock(&w->mu);
    w->suspended = true;
    while (w->busy)
        pthread_cond_wait(&w->cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
}

void worker_resume(ui_worker *w)
{
    if (!w)   /* top --load: a saved dump, no sampler */
        return;
    pthread_mutex_lock(&w->mu);
    w->suspended = false;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

bool worker_collect(ui_worker *w, ui_result *res)
{
    if (!w)   /* top --load: a saved dump, no sampler */
        return false;
    pthread_mutex_lock(&w->mu);
    bool have = w->have_result;
    if (have) {
        *res = w->result;
        w->have_result = false;
        memset(&w->result, 0, sizeof w->result);
    }
    pthread_mutex_unlock(&w->mu);
    return have;
}

bool worker_busy(ui_worker *w)
{
    if (!w)   /* top --load: a saved dump, no sampler */
        return false;
    pthread_mutex_lock(&w->mu);
    bool busy = w->busy || w->all_stacks;
    pthread_mutex_unlock(&w->mu);
    return busy;
}

bool worker_stop(ui_worker *w)
{
    if (!w)
        return true;
    struct timespec until;
    deadline_after(&until, WORKER_STOP_MS);
    pthread_mutex_lock(&w->mu);
    w->quit = true;
    pthread_cond_broadcast(&w->cv);
    int rc = 0;
    while (!w->done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&w->cv, &w->mu, &until);
    bool done = w->done;
    pthread_mutex_unlock(&w->mu);
    if (!done) {
        /* stuck in the kernel on the target (its waits have deadlines, but a read of memory
         * can block us): never wait for it. The process exits next, and the kernel lets go of
         * every thread it had stopped; w stays allocated for the worker until then. */
        pthread_detach(w->thread);
        return false;
    }
    pthread_join(w->thread, NULL);
    if (w->have_result)
        result_free(&w->result);
    sampler_close(w->sampler);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
    return true;
}
