/* The sampling thread: owns the sampler (used from this thread only) and hands finished
 * snapshots to the UI thread, which it wakes through a pipe. Sampling never blocks input. */
#ifndef THREADLENS_UI_WORKER_H
#define THREADLENS_UI_WORKER_H

#include <stdbool.h>

#include "threadlens/error.h"
#include "threadlens/model.h"
#include "ui.h"

/* What the next samples should include besides counters. */
typedef struct ui_request {
    int stack_tid;            /* take this thread's stack each refresh; 0: none */
    bool regions;             /* read what threads share and own (the shared pane is open) */
    int regions_pid;          /* ... of this process only (the selected one) */
} ui_request;

/* A finished sample. */
typedef struct ui_result {
    tl_snapshot *snap;        /* NULL when the take failed (err says why) */
    tl_status status;
    tl_error err;
    bool all_stacks;          /* every thread's stack was asked for */
    int stack_tid;            /* the one stack asked for, 0: none */
    char stacks_error[256];   /* why stacks could not be taken at all ("" when they could) */
} ui_result;

typedef struct ui_worker ui_worker;

/* Opens the sampler on the target (errors such as "no such PID" come back here, before any
 * thread starts) and starts sampling at once. wake_fd gets a byte per finished sample. */
tl_status worker_start(ui_worker **out, const ui_options *o, int wake_fd, tl_error *err);
/* Changes what is sampled; now: take a sample at once instead of waiting for the delay. */
void worker_request(ui_worker *w, const ui_request *r, bool now);
/* One sample with every thread's stack, at once. */
void worker_request_all_stacks(ui_worker *w);
/* Frozen: no samples are taken until unfrozen (explicit requests still are). */
void worker_freeze(ui_worker *w, bool frozen);
/* Ctrl-Z: returns once no sample is in progress (no thread of the target is stopped by us),
 * and takes none until worker_resume. The process may then stop safely. */
void worker_suspend(ui_worker *w);
void worker_resume(ui_worker *w);
/* The newest finished sample (older unread ones are dropped); false when none is waiting.
 * The caller owns res->snap. */
bool worker_collect(ui_worker *w, ui_result *res);
/* True while a sample is being taken. */
bool worker_busy(ui_worker *w);
/* Finishes the sample in progress (threads it stopped run again), joins, frees: true. A worker
 * still busy after 50 ms (stuck in the kernel on the target) is left running and false is
 * returned: the caller must exit soon (the kernel then lets go of what it stopped) and must
 * not close the wake-up pipe, which it may still write. */
bool worker_stop(ui_worker *w);

#endif
