#include "process_tree.h"

#include <stdlib.h>
#include <string.h>

/* A growable list of pids to visit, breadth first, without repeats. */
typedef struct pid_queue {
    int *pids;
    size_t n, cap;
} pid_queue;

static bool queue_has(const pid_queue *q, int pid)
{
    for (size_t i = 0; i < q->n; i++)
        if (q->pids[i] == pid)
            return true;
    return false;
}

static bool queue_push(pid_queue *q, int pid)
{
    if (queue_has(q, pid))
        return true;
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 16;
        int *grown = realloc(q->pids, cap * sizeof *grown);
        if (!grown)
            return false;
        q->pids = grown;
        q->cap = cap;
    }
    q->pids[q->n++] = pid;
    return true;
}

static bool push_children(platform_reader *r, pid_queue *q, int pid)
{
    int *kids;
    size_t nkids;
    if (platform_list_children(r, pid, &kids, &nkids, NULL) != TL_OK)
        return true;   /* the parent exited: nothing to add */
    bool ok = true;
    for (size_t i = 0; i < nkids && ok; i++)
        ok = queue_push(q, kids[i]);
    free(kids);
    return ok;
}

static tl_process *append_process(tl_snapshot *snap, int pid)
{
    tl_process *grown = realloc(snap->procs, (snap->nprocs + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    snap->procs = grown;
    tl_process *p = &snap->procs[snap->nprocs];
    memset(p, 0, sizeof *p);
    p->pid = pid;
    return p;
}

/* Says why a root the user asked for shows little: a zombie or a kernel thread. */
static void note_special_root(tl_snapshot *snap, const tl_process *p)
{
    if (p->zombie)
        snapshot_add_note(snap, "process %d is a zombie: it has exited and waits for its parent (PID %d) "
                          "to reap it; only its final counters remain", p->pid, p->ppid);
    else if (p->kernel_thread)
        snapshot_add_note(snap, "process %d is a kernel thread: it has no command line and no "
                          "user-space stack; only its counters are shown", p->pid);
}

/* Process, threads, and (incremental takes) their calls; the first PARTIAL's message is kept. */
static tl_status read_parts(platform_reader *r, const carry *c, const tl_sampler_options *o, tl_process *p,
                            tl_error *e)
{
    tl_status st = platform_read_process(r, p, e);
    if (st == TL_OK || st == TL_PARTIAL) {
        tl_error_clear(e);
        platform_reader_schedstat(r, o->stacks);   /* the stack pass's zero-stop "before" */
        st = platform_read_threads(r, p, e);
    }
    /* a main thread that called pthread_exit is a zombie while its workers live: the process
     * is not (only its leader is; its threads are listed and dumped) */
    for (size_t i = 0; p->zombie && i < p->nthreads; i++)
        if (p->threads[i].state != 'Z' && p->threads[i].state != 'X')
            p->zombie = false;
    if (c && (st == TL_OK || st == TL_PARTIAL)) {
        tl_error calls_err = {0};
        tl_status calls = carry_fill_process(c, r, p, o->stack_tids, o->nstack_tids, &calls_err);
        if (st == TL_OK || calls == TL_ENOMEM) {
            st = calls;
            *e = calls_err;
        }
    }
    return st;
}

/* Reads one process and its threads. Returns false only on a hard error (out of memory). */
static bool read_one(platform_reader *r, const carry *c, const tl_sampler_options *o, tl_snapshot *snap,
                     int pid, bool is_root, size_t *roots_found, tl_error *err)
{
    tl_process *p = append_process(snap, pid);
    if (!p)
        return tl_error_set(err, TL_ENOMEM, "out of memory reading process %d", pid), false;
    tl_error e = {0};
    tl_status st = read_parts(r, c, o, p, &e);
    if (st == TL_ENOMEM) {
        snap->nprocs++;
        *err = e;
        return false;
    }
    if (st == TL_ENOENT && p->nthreads == 0) {
        /* gone before we could read it: drop it, say so */
        process_clear(p);
        snap->partial = true;
        snapshot_add_note(snap, "%s", e.msg);
        return true;
    }
    if (st != TL_OK) {
        snap->partial = true;
        p->error = strdup(e.msg);
        snapshot_add_note(snap, "%s", e.msg);
    }
    snap->nprocs++;
    if (is_root) {
        (*roots_found)++;
        note_special_root(snap, p);
    }
    return true;
}

tl_status process_tree_read(platform_reader *r, const int *roots, size_t nroots,
                            const tl_sampler_options *o, const carry *c, tl_snapshot *snap, tl_error *err)
{
    pid_queue q = {0};
    for (size_t i = 0; i < nroots; i++)
        if (!queue_push(&q, roots[i]))
            goto oom;
    size_t roots_found = 0;
    tl_status st = TL_OK;
    for (size_t i = 0; i < q.n; i++) {
        if (i >= o->max_processes) {
            snap->partial = true;
            snapshot_add_note(snap, "stopped at %zu processes (the limit); use --no-children", i);
            break;
        }
        if (!read_one(r, c, o, snap, q.pids[i], i < nroots, &roots_found, err)) {
            st = err->code;
            break;
        }
        if (o->children && !push_children(r, &q, q.pids[i]))
            goto oom;
    }
    free(q.pids);
    if (st != TL_OK)
        return st;
    if (roots_found == 0)
        return nroots == 1 ? tl_error_set(err, TL_ENOENT, "no process with PID %d; check the PID with ps", roots[0])
                           : tl_error_set(err, TL_ENOENT, "none of the %zu PIDs exists; check them with ps", nroots);
    return snap->partial ? TL_PARTIAL : TL_OK;
oom:
    free(q.pids);
    return tl_error_set(err, TL_ENOMEM, "out of memory walking the process tree");
}
