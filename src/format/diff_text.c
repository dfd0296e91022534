/* threadlens diff as text: one section per kind of change, target-written names escaped. */
#include <inttypes.h>

#include "threadlens/escape.h"
#include "threadlens/snapdiff.h"
#include "threadlens/format.h"

static void quoted(FILE *out, const char *s)
{
    fputc('"', out);
    escape_fputs(s ? s : "?", out);
    fputc('"', out);
}

static void opt_str(FILE *out, const char *s)
{
    if (s)
        escape_fputs(s, out);
    else
        fputs("(none)", out);
}

static void change_line(FILE *out, const tl_change *c)
{
    switch (c->kind) {
    case TL_CHANGE_PROCESS_NEW: case TL_CHANGE_PROCESS_ENDED:
        fprintf(out, "  process %d ", c->pid);
        quoted(out, c->name);
        break;
    case TL_CHANGE_THREAD_NEW: case TL_CHANGE_THREAD_ENDED:
        fprintf(out, "  tid %d ", c->tid);
        quoted(out, c->name);
        fprintf(out, " (process %d)", c->pid);
        break;
    case TL_CHANGE_STATE:
        fprintf(out, "  tid %d ", c->tid);
        quoted(out, c->name);
        fprintf(out, ": %c (%s) -> %c (%s)", c->old_state, model_state_word(c->old_state), c->new_state,
                model_state_word(c->new_state));
        break;
    case TL_CHANGE_STACK:
        fprintf(out, "  tid %d ", c->tid);
        quoted(out, c->name);
        fputs(":\n      was: ", out);
        opt_str(out, c->old_top);
        if (c->old_wait) {
            fputs("; waiting on: ", out);
            escape_fputs(c->old_wait, out);
        }
        fputs("\n      now: ", out);
        opt_str(out, c->new_top);
        if (c->new_wait) {
            fputs("; waiting on: ", out);
            escape_fputs(c->new_wait, out);
        }
        break;
    case TL_CHANGE_GROUP:
        fprintf(out, "  %zu -> %zu threads (process %d): ", c->old_count, c->new_count, c->pid);
        opt_str(out, c->new_top);
        break;
    case TL_CHANGE_DEADLOCK_NEW: case TL_CHANGE_DEADLOCK_CLEARED:
        fputs("  threads", out);
        for (size_t i = 0; i < c->deadlock->ntids; i++)
            fprintf(out, " %d", c->deadlock->tids[i]);
        break;
    }
    fputc('\n', out);
}

static const char *const titles[] = {
    [TL_CHANGE_PROCESS_NEW] = "Processes that appeared", [TL_CHANGE_PROCESS_ENDED] = "Processes that ended",
    [TL_CHANGE_THREAD_NEW] = "Threads that appeared", [TL_CHANGE_THREAD_ENDED] = "Threads that ended",
    [TL_CHANGE_STATE] = "State changes", [TL_CHANGE_STACK] = "Stack or wait changed (old -> new top frames)",
    [TL_CHANGE_GROUP] = "Stack groups that grew or shrank",
    [TL_CHANGE_DEADLOCK_NEW] = "Deadlocks that appeared", [TL_CHANGE_DEADLOCK_CLEARED] = "Deadlocks that cleared",
};

void format_diff_text(FILE *out, const tl_snapdiff *d)
{
    fprintf(out, "threadlens diff: B taken %.3f s after A; %zu change%s\n", (double)d->elapsed_ms / 1000.0,
            d->nchanges, d->nchanges == 1 ? "" : "s");
    for (int k = TL_CHANGE_PROCESS_NEW; k <= TL_CHANGE_DEADLOCK_CLEARED; k++) {
        size_t n = 0;
        for (size_t i = 0; i < d->nchanges; i++)
            n += d->changes[i].kind == (tl_change_kind)k;
        if (!n)
            continue;
        fprintf(out, "\n%s (%zu):\n", titles[k], n);
        for (size_t i = 0; i < d->nchanges; i++)
            if (d->changes[i].kind == (tl_change_kind)k)
                change_line(out, &d->changes[i]);
    }
    fputs("\nCPU used between A and B, per process:\n", out);
    for (size_t i = 0; i < d->nprocs; i++) {
        fprintf(out, "  process %d ", d->procs[i].pid);
        quoted(out, d->procs[i].name);
        fprintf(out, ": %" PRIu64 " ms\n", d->procs[i].ms);
    }
    fprintf(out, "Top threads by CPU used (%zu):\n", d->ntop_threads);
    for (size_t i = 0; i < d->ntop_threads; i++) {
        fprintf(out, "  tid %d ", d->top_threads[i].tid);
        quoted(out, d->top_threads[i].name);
        fprintf(out, " (process %d): %" PRIu64 " ms\n", d->top_threads[i].pid, d->top_threads[i].ms);
    }
}
