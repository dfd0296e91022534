/* dump --count in text: a verdict line per thread and the summary's verdict block with the
 * blocking chains (at most CHAINS_SHOWN). */
#include <inttypes.h>

#include "text_parts.h"
#include "threadlens/escape.h"

#define CHAINS_SHOWN 10

static double window_s(const tl_snapshot *s)
{
    return (double)(s->window.last_unix_ms - s->window.first_unix_ms) / 1000.0;
}

static const char *top_function(const tl_thread *t)
{
    for (size_t i = 0; i < t->nframes; i++)
        if (t->frames[i].function)
            return t->frames[i].function;
    return NULL;
}

/* The line after "verdict: " (without its newline). */
static void verdict_text(FILE *out, const tl_snapshot *s, const tl_thread *t)
{
    const tl_history *h = &t->history;
    double since = (double)h->since_ms / 1000.0, win = window_s(s);
    fputs(model_verdict_name(h->verdict), out);
    switch (h->verdict) {
    case TL_VERDICT_BLOCKED:
        fprintf(out, " \u2265 %.1f s on ", since);
        escape_fputs(t->wait.description ? t->wait.description : model_wait_kind_name(t->wait.kind), out);
        break;
    case TL_VERDICT_BUSY:
        fputs(" in ", out);
        escape_fputs(top_function(t) ? top_function(t) : "(no stack)", out);
        fprintf(out, ", %.0f%% CPU", win > 0 ? (double)h->cpu_ms_delta / 10.0 / win : 0.0);
        break;
    case TL_VERDICT_IDLE:
        fprintf(out, " \u2265 %.1f s", since);
        if (t->wait.description) {
            fputs(" on ", out);
            escape_fputs(t->wait.description, out);
        } else if (top_function(t)) {
            fputs(" in ", out);
            escape_fputs(top_function(t), out);
        }
        break;
    case TL_VERDICT_CHANGING:
        fprintf(out, " (the same stack and wait in the last %u of %u samples)", h->same_stack, h->samples);
        break;
    case TL_VERDICT_NEW:
        fprintf(out, " (appeared during the window: in the last %u of %u samples)", h->samples, s->window.samples);
        break;
    case TL_VERDICT_ENDED:
        fprintf(out, " (exited during the window, shown as last seen: in %u of %u samples)", h->samples,
                s->window.samples);
        break;
    case TL_VERDICT_NONE:
        break;
    }
}

void text_verdict_line(FILE *out, const tl_snapshot *s, const tl_thread *t)
{
    if (!s->window.samples || t->history.verdict == TL_VERDICT_NONE)
        return;
    fputs("   verdict: ", out);
    verdict_text(out, s, t);
    fputc('\n', out);
}

static void chain_end(FILE *out, const tl_snapshot *s, const tl_chain *c)
{
    const tl_thread *last = model_find_thread(s, c->tids[c->ntids - 1], NULL);
    if (c->cycle) {
        fputs(" \u2192 cycle: deadlock", out);
    } else if (!last) {
        fprintf(out, " (tid %d is not in the dump)", c->tids[c->ntids - 1]);
    } else if (last->history.verdict == TL_VERDICT_BUSY) {
        fputs(" \u2192 is busy in ", out);
        escape_fputs(top_function(last) ? top_function(last) : "(no stack)", out);
    } else if (last->wait.description) {
        fputs(" \u2192 waits ", out);
        escape_fputs(last->wait.description, out);
    } else {
        fprintf(out, " \u2192 state %c (%s)", last->state, model_state_word(last->state));
    }
}

static void chain_line(FILE *out, const tl_snapshot *s, const tl_chain *c)
{
    fputs("  ", out);
    for (size_t i = 0; i < c->ntids && !(c->cycle && i + 1 == c->ntids); i++) {
        const tl_thread *t = model_find_thread(s, c->tids[i], NULL);
        if (i)
            fputs(" \u2192 held by ", out);
        fprintf(out, "tid %d \"", c->tids[i]);
        escape_fputs(t && t->name ? t->name : "?", out);
        fputc('"', out);
        if (t && i + 1 < c->ntids && t->wait.description) {
            fputs(" (", out);
            escape_fputs(model_wait_kind_name(t->wait.kind), out);
            if (t->wait.address)
                fprintf(out, " 0x%" PRIx64, t->wait.address);
            fputc(')', out);
        }
    }
    chain_end(out, s, c);
    fputc('\n', out);
}

void text_verdicts(FILE *out, const tl_snapshot *s)
{
    const tl_window *w = &s->window;
    if (!w->samples)
        return;
    size_t counts[TL_VERDICT_ENDED + 1] = {0};
    for (size_t i = 0; i < s->nprocs; i++)
        for (size_t j = 0; j < s->procs[i].nthreads; j++)
            if ((unsigned)s->procs[i].threads[j].history.verdict <= TL_VERDICT_ENDED)
                counts[s->procs[i].threads[j].history.verdict]++;
    fprintf(out, "Over %u samples %.1f s apart (%.1f s): ", w->samples, (double)w->interval_ms / 1000.0, window_s(s));
    for (int v = TL_VERDICT_BLOCKED; v <= TL_VERDICT_ENDED; v++)
        fprintf(out, "%s%s %zu", v == TL_VERDICT_BLOCKED ? "" : "  ", model_verdict_name((tl_verdict)v), counts[v]);
    fputc('\n', out);
    if (s->nchains)
        fprintf(out, "Blocking chains (%zu):\n", s->nchains);
    for (size_t i = 0; i < s->nchains && i < CHAINS_SHOWN; i++)
        chain_line(out, s, &s->chains[i]);
    if (s->nchains > CHAINS_SHOWN)
        fprintf(out, "  +%zu more\n", s->nchains - CHAINS_SHOWN);
}
