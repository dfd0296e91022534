/* The shared-versus-private pane, the teaching heart: what every thread of the selected
 * process shares (code, data, heap, mapped files, fds, signal handlers) and what the selected
 * thread alone owns (its stack, PC/SP, TLS, signal mask, scheduling, CPU time, its wait),
 * with an address-space strip and optional one-line explanations (key e). */
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_state.h"
#include "ui_term.h"

#define PANE_MAX_LINES 64
#define SEGS_PER_LINE 6
#define SEG_TEXT 240
#define FDS_SHOWN 6          /* fds named on the fds line */

typedef struct seg {
    ui_role role;
    bool target;             /* written by the target: escaped when drawn */
    char text[SEG_TEXT];
} seg;

typedef struct pline {
    seg segs[SEGS_PER_LINE];
    int nsegs;
    bool strip;              /* draw the address-space strip here */
} pline;

typedef struct pane_text {
    pline lines[PANE_MAX_LINES];
    int n;
    int split;               /* first line of the private part */
    bool explain;
} pane_text;

#define WIDE_COLS 150        /* from this width the two parts stand side by side */

static pane_text pane_cache;   /* large: built and drawn on the UI thread only */

static pline *new_line(pane_text *pt)
{
    if (pt->n >= PANE_MAX_LINES)
        return NULL;
    pline *l = &pt->lines[pt->n++];
    memset(l, 0, sizeof *l);
    return l;
}

static void add_seg(pline *l, ui_role role, bool target, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_seg(pline *l, ui_role role, bool target, const char *fmt, ...)
{
    if (!l || l->nsegs >= SEGS_PER_LINE)
        return;
    seg *s = &l->segs[l->nsegs++];
    s->role = role;
    s->target = target;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->text, sizeof s->text, fmt, ap);
    va_end(ap);
}

/* "  label    " then the value. */
static pline *item(pane_text *pt, const char *label)
{
    pline *l = new_line(pt);
    add_seg(l, ROLE_STATUS, false, "  %-9s", label);
    return l;
}

static void explain(pane_text *pt, const char *text)
{
    if (pt->explain)
        add_seg(new_line(pt), ROLE_DIM, false, "             = %s", text);
}

static void heading(pane_text *pt, const char *what, int id, const char *name)
{
    pline *l = new_line(pt);
    add_seg(l, ROLE_PROCESS, false, "%s %d \"", what, id);
    add_seg(l, ROLE_PROCESS, true, "%s", name ? name : "?");
    add_seg(l, ROLE_PROCESS, false, "\"");
}

static const char *const class_explain[TL_REGION_NCLASSES] = {
    [TL_REGION_CODE] = "every thread of this process runs this same code",
    [TL_REGION_DATA] = "globals and statics: one copy, seen by every thread",
    [TL_REGION_HEAP] = "every thread of this process sees this heap",
    [TL_REGION_STACK] = "one stack per thread, all in this one address space",
    [TL_REGION_FILE] = "mapped files: every thread sees the same pages",
    [TL_REGION_SHM] = "shared with the other processes that map it, too",
};

static void class_line(pane_text *pt, const tl_shared *sh, tl_region_class c, const char *label)
{
    const tl_class_size *cs = &sh->by_class[c];
    char mapped[32], rss[32];
    columns_format_size(cs->mapped_bytes, mapped, sizeof mapped);
    columns_format_size(cs->rss_bytes, rss, sizeof rss);
    pline *l = item(pt, label);
    add_seg(l, ROLE_NORMAL, false, "%10s mapped", mapped);
    if (sh->class_rss_known)
        add_seg(l, ROLE_NORMAL, false, ", %s resident", rss);
    add_seg(l, ROLE_DIM, false, "  (%zu region%s)", cs->nregions, cs->nregions == 1 ? "" : "s");
    if (class_explain[c])
        explain(pt, class_explain[c]);
}

static void rollup_line(pane_text *pt, const tl_mem_rollup *r)
{
    pline *l = item(pt, "memory");
    if (!r->valid) {
        add_seg(l, ROLE_DIM, false, "n/a (smaps_rollup unreadable)");
        return;
    }
    char rss[32], pss[32], anon[32];
    columns_format_size(r->rss_kib * 1024, rss, sizeof rss);
    columns_format_size(r->pss_kib * 1024, pss, sizeof pss);
    columns_format_size(r->anonymous_kib * 1024, anon, sizeof anon);
    add_seg(l, ROLE_NORMAL, false, "rss %s, pss %s, anonymous %s (smaps_rollup)", rss, pss, anon);
}

static void fds_line(pane_text *pt, const tl_shared *sh)
{
    pline *l = item(pt, "fds");
    if (sh->nfds < 0) {
        add_seg(l, ROLE_DIM, false, "n/a (fd directory unreadable)");
        return;
    }
    add_seg(l, ROLE_NORMAL, false, "%d open", sh->nfds);
    char list[SEG_TEXT] = "";
    size_t n = 0;
    for (size_t i = 0; i < sh->nfds_listed && i < FDS_SHOWN && n < sizeof list - 1; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%d %s", i ? ", " : ": ", sh->fds[i].fd,
                              sh->fds[i].target ? sh->fds[i].target : "?");
    add_seg(l, ROLE_NORMAL, true, "%s", list);
    explain(pt, "an fd opened by one thread is usable by every thread");
}

/* Signal names of the set bits of mask (bit n-1 = signal n). */
static void signal_names(uint64_t mask, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = 0;
    for (int sig = 1; sig <= 64 && n < cap - 1; sig++) {
        if (!(mask & (1ULL << (sig - 1))))
            continue;
        const char *name = sigabbrev_np(sig);
        n += name ? (size_t)snprintf(buf + n, cap - n, "%s%s", n ? " " : "", name)
                  : (size_t)snprintf(buf + n, cap - n, "%s%d", n ? " " : "", sig);
    }
    if (!buf[0])
        snprintf(buf, cap, "none");
}

static void signals_line(pane_text *pt, const tl_shared *sh)
{
    pline *l = item(pt, "signals");
    if (!sh->sig_valid) {
        add_seg(l, ROLE_DIM, false, "n/a");
        return;
    }
    char caught[160], ignored[160];
    signal_names(sh->sig_caught, caught, sizeof caught);
    signal_names(sh->sig_ignored, ignored, sizeof ignored);
    add_seg(l, ROLE_NORMAL, false, "handlers for %s; ignored %s", caught, ignored);
    explain(pt, "handlers are per process: sigaction() sets them for all");
}

static void shared_part(pane_text *pt, const ui_state *st, const tl_process *p)
{
    const tl_shared *sh = &p->shared;
    pline *l = new_line(pt);
    add_seg(l, ROLE_PROCESS, false, "SHARED by all %zu threads of process %d \"", p->nthreads, p->pid);
    add_seg(l, ROLE_PROCESS, true, "%s", p->name ? p->name : "?");
    add_seg(l, ROLE_PROCESS, false, "\"");
    if (!sh->valid) {
        bool asked = st->cur && st->pane == PANE_SHARED && sh->error;
        const char *what = asked ? sh->error : "reading the memory map...";
        if (st->opt && st->opt->loaded)   /* nothing will read it: say how to get it */
            asked = true, what = "not in this saved dump (save one with: threadlens dump --shared --save FILE PID)";
        add_seg(item(pt, "map"), ROLE_DIM, asked, "%s", what);
        return;
    }
    class_line(pt, sh, TL_REGION_CODE, "code");
    class_line(pt, sh, TL_REGION_DATA, "data");
    class_line(pt, sh, TL_REGION_HEAP, "heap");
    if (sh->by_class[TL_REGION_FILE].nregions)
        class_line(pt, sh, TL_REGION_FILE, "files");
    if (sh->by_class[TL_REGION_SHM].nregions)
        class_line(pt, sh, TL_REGION_SHM, "shm");
    class_line(pt, sh, TL_REGION_STACK, "stacks");
    rollup_line(pt, &sh->rollup);
    fds_line(pt, sh);
    signals_line(pt, sh);
    if (sh->error)
        add_seg(item(pt, "note"), ROLE_DIM, true, "%s", sh->error);
}

static void stack_line(pane_text *pt, const tl_thread *t)
{
    const tl_private *pv = &t->priv;
    pline *l = item(pt, "stack");
    if (!pv->valid || !pv->stack_known) {
        add_seg(l, ROLE_DIM, false, "n/a (its SP is unknown while it runs and no stack is taken)");
        return;
    }
    char reserved[32], used[32];
    columns_format_size(pv->stack_end - pv->stack_start, reserved, sizeof reserved);
    columns_format_size(pv->stack_used, used, sizeof used);
    add_seg(l, ROLE_NORMAL, false, "%" PRIx64 "-%" PRIx64 " reserved %s, used %s%s", pv->stack_start,
            pv->stack_end, reserved, used, pv->main_stack ? " ([stack] of the main thread)" : "");
    explain(pt, "only this thread runs on this stack");
}

static void regs_lines(pane_text *pt, const tl_thread *t)
{
    const tl_private *pv = &t->priv;
    pline *l = item(pt, "pc/sp");
    if (pv->valid && pv->source != TL_REGS_NONE)
        add_seg(l, ROLE_NORMAL, false, "pc 0x%" PRIx64 "  sp 0x%" PRIx64 "  (from %s)", pv->pc, pv->sp,
                model_regs_source_name(pv->source));
    else
        add_seg(l, ROLE_DIM, false, "n/a (running: no stop, no registers)");
    l = item(pt, "tls");
    if (pv->valid && pv->tls_known)
        add_seg(l, ROLE_NORMAL, false, "0x%" PRIx64, pv->tls);
    else
        add_seg(l, ROLE_DIM, false, "n/a (known only once its stack is taken)");
    explain(pt, "registers, PC and thread-local storage are this thread's own");
}

static void sigmask_line(pane_text *pt, const tl_thread *t)
{
    pline *l = item(pt, "sigmask");
    char *end = NULL;
    unsigned long long mask = t->sig_blocked ? strtoull(t->sig_blocked, &end, 16) : 0;
    if (!t->sig_blocked || !end || *end) {
        add_seg(l, ROLE_DIM, true, "%s", t->sig_blocked ? t->sig_blocked : "n/a");
        return;
    }
    char names[200];
    signal_names(mask, names, sizeof names);
    add_seg(l, ROLE_NORMAL, false, "blocked: %s", names);
    explain(pt, "each thread has its own signal mask");
}

static void sched_lines(pane_text *pt, const tl_thread *t)
{
    add_seg(item(pt, "sched"), ROLE_NORMAL, false, "%c %s, %s, priority %d, nice %d, last CPU %d", t->state,
            model_state_word(t->state), model_policy_name(t->policy), t->priority, t->nice, t->last_cpu);
    char user[32], sys[32];
    columns_format_time(t->cpu_user_ms, user, sizeof user);
    columns_format_time(t->cpu_system_ms, sys, sizeof sys);
    add_seg(item(pt, "cpu"), ROLE_NORMAL, false, "user %s, system %s, ctxsw %" PRIu64 " voluntary / %" PRIu64 " involuntary",
            user, sys, t->voluntary_ctxt_switches, t->nonvoluntary_ctxt_switches);
    char tmp[160];
    add_seg(item(pt, "waits"), ROLE_NORMAL, true, "%s", columns_wait_text(t, tmp, sizeof tmp));
    explain(pt, "the kernel schedules threads: state, CPU, waits are per thread");
}

static void private_part(pane_text *pt, const tl_thread *t)
{
    heading(pt, "OWNED by thread", t->tid, t->name);
    stack_line(pt, t);
    pline *l = item(pt, "map");
    if (l)
        l->strip = true;
    add_seg(new_line(pt), ROLE_DIM, false,
            "             C code d data h heap s stacks S this thread's stack f file m shm . guard");
    regs_lines(pt, t);
    sigmask_line(pt, t);
    sched_lines(pt, t);
}

static void build(pane_text *pt, const ui_state *st, const tl_process *p, const tl_thread *t)
{
    pt->n = 0;
    pt->explain = st->explain;
    shared_part(pt, st, p);
    pt->split = pt->n;
    if (t)
        private_part(pt, t);
}

static void draw_line(const pline *l, const tl_process *p, const tl_thread *t, int y, int x0, int w)
{
    int x = x0, right = x0 + w;
    for (int i = 0; i < l->nsegs && x < right; i++) {
        const seg *s = &l->segs[i];
        x += s->target ? term_target(y, x, right - x, s->role, s->text)
                       : term_text(y, x, right - x, s->role, s->text);
    }
    if (l->strip)
        strip_draw(p, t, y, x, right - x - 1);
}

/* Lines [from, to) of the text, scrolled, in the box at (y, x0) of h lines and w columns. */
static void draw_lines(const ui_state *st, int from, int to, const tl_process *p, const tl_thread *t,
                       int y, int h, int x0, int w)
{
    int last_page = to - h > from ? to - h : from;   /* scrolling stops at the last page */
    int first = from + st->pane_scroll < last_page ? from + st->pane_scroll : last_page;
    for (int i = first; i < to && h > 0; i++, y++, h--)
        draw_line(&pane_cache.lines[i], p, t, y, x0, w);
}

static void draw_title(const ui_state *st, int y)
{
    term_fill(y, 0, st->lay.cols, ROLE_PANE_TITLE);
    term_text(y, 0, st->lay.cols, ROLE_PANE_TITLE,
              st->explain ? " Shared vs private   s/Esc close  e hide explanations  [ ] scroll"
                          : " Shared vs private   s/Esc close  e explain  [ ] scroll");
}

int shared_pane_lines(const ui_state *st)
{
    const tl_process *p = NULL;
    const tl_thread *t = st->cur ? rows_selected_thread(st, &p) : NULL;
    if (!p)
        return 2;
    build(&pane_cache, st, p, t);
    int text = st->lay.cols >= WIDE_COLS ? (pane_cache.split > pane_cache.n - pane_cache.split
                                                ? pane_cache.split : pane_cache.n - pane_cache.split)
                                         : pane_cache.n;
    return text + 1;
}

void shared_pane_draw(ui_state *st)
{
    const tl_process *p = NULL;
    const tl_thread *t = st->cur ? rows_selected_thread(st, &p) : NULL;
    int y = st->lay.pane_y, h = st->lay.pane_h - 1, W = st->lay.cols;
    draw_title(st, y++);
    if (!p) {
        term_text(y, 1, W - 1, ROLE_DIM, "no process selected");
        return;
    }
    build(&pane_cache, st, p, t);
    if (W >= WIDE_COLS) {
        draw_lines(st, 0, pane_cache.split, p, t, y, h, 0, W / 2 - 1);
        draw_lines(st, pane_cache.split, pane_cache.n, p, t, y, h, W / 2, W - W / 2);
    } else {
        draw_lines(st, 0, pane_cache.n, p, t, y, h, 0, W);
    }
}
