/* The --shared part of the text dump: per process what all its threads share, per thread what
 * it owns. Printed only when the sampler read them (tl_shared.valid, tl_private.valid). */
#include <inttypes.h>

#include "text_parts.h"
#include "threadlens/escape.h"

#define SIGNALS_MAX 64

/* "512 B", "12 KiB", "64.0 MiB", "1.5 GiB", "14.0 TiB" (ASan's shadow) into buf. */
static const char *human(uint64_t bytes, char buf[32])
{
    if (bytes < 1024)
        snprintf(buf, 32, "%" PRIu64 " B", bytes);
    else if (bytes < 1024 * 1024)
        snprintf(buf, 32, "%" PRIu64 " KiB", bytes / 1024);
    else if (bytes < 1024ULL * 1024 * 1024)
        snprintf(buf, 32, "%.1f MiB", (double)bytes / (1024.0 * 1024.0));
    else if (bytes < 1024ULL * 1024 * 1024 * 1024)
        snprintf(buf, 32, "%.1f GiB", (double)bytes / (1024.0 * 1024.0 * 1024.0));
    else
        snprintf(buf, 32, "%.1f TiB", (double)bytes / (1024.0 * 1024.0 * 1024.0 * 1024.0));
    return buf;
}

static const char *const class_words[TL_REGION_NCLASSES] = {
    [TL_REGION_CODE] = "code (program and libraries)",
    [TL_REGION_DATA] = "data/bss of modules",
    [TL_REGION_HEAP] = "heap/anonymous",
    [TL_REGION_STACK] = "thread stacks, one per thread",
    [TL_REGION_GUARD] = "guard/no-access",
    [TL_REGION_FILE] = "mapped files",
    [TL_REGION_SHM] = "shared memory",
    [TL_REGION_KERNEL] = "vdso/vvar",
    [TL_REGION_OTHER] = "other",
};

static void text_class(FILE *out, const tl_shared *sh, tl_region_class cls)
{
    const tl_class_size *c = &sh->by_class[cls];
    char a[32], b[32];
    if (!c->nregions)
        return;
    fprintf(out, "    %-10s %10s mapped", model_region_class_name(cls), human(c->mapped_bytes, a));
    if (sh->class_rss_known)
        fprintf(out, ", %10s resident", human(c->rss_bytes, b));
    fprintf(out, " in %zu mapping%s: %s\n", c->nregions, c->nregions == 1 ? "" : "s", class_words[cls]);
}

static void text_rollup(FILE *out, const tl_mem_rollup *r)
{
    if (!r->valid)
        return;
    fprintf(out, "    memory     rss %" PRIu64 " KiB, pss %" PRIu64 " KiB, anonymous %" PRIu64
            " KiB, private clean/dirty %" PRIu64 "/%" PRIu64 " KiB, shared clean/dirty %" PRIu64
            "/%" PRIu64 " KiB, swap %" PRIu64 " KiB\n",
            r->rss_kib, r->pss_kib, r->anonymous_kib, r->private_clean_kib, r->private_dirty_kib,
            r->shared_clean_kib, r->shared_dirty_kib, r->swap_kib);
}

static void text_fds(FILE *out, const tl_shared *sh)
{
    if (sh->nfds < 0) {
        fputs("    fds        unknown\n", out);
        return;
    }
    fprintf(out, "    fds        %d open", sh->nfds);
    for (size_t i = 0; i < sh->nfds_listed; i++) {
        fprintf(out, "%s%d -> ", i ? ", " : ": ", sh->fds[i].fd);
        escape_fputs(sh->fds[i].target, out);
    }
    if ((size_t)sh->nfds > sh->nfds_listed)
        fprintf(out, ", ... (%zu listed)", sh->nfds_listed);
    fputc('\n', out);
}

static void text_sigset(FILE *out, uint64_t mask)
{
    char name[16];
    size_t n = 0;
    for (int sig = 1; sig <= SIGNALS_MAX; sig++)
        if (mask & (1ULL << (sig - 1)))
            fprintf(out, "%s%s", n++ ? " " : "", model_signal_name(sig, name));
    if (!n)
        fputs("none", out);
}

static void text_signals(FILE *out, const tl_shared *sh)
{
    if (!sh->sig_valid)
        return;
    fputs("    signals    handled: ", out);
    text_sigset(out, sh->sig_caught);
    fputs("; ignored: ", out);
    text_sigset(out, sh->sig_ignored);
    fputc('\n', out);
}

void text_shared(FILE *out, const tl_process *p)
{
    const tl_shared *sh = &p->shared;
    if (!sh->valid)
        return;
    fprintf(out, "  Shared by all %zu thread%s (%zu mappings%s):\n", p->nthreads,
            p->nthreads == 1 ? "" : "s", sh->nmappings, sh->regions_truncated ? ", list cut" : "");
    for (int cls = 0; cls < TL_REGION_NCLASSES; cls++)
        if (cls != TL_REGION_STACK)
            text_class(out, sh, (tl_region_class)cls);
    text_rollup(out, &sh->rollup);
    text_fds(out, sh);
    text_signals(out, sh);
    fputs("  Private to each thread (see its Private: line):\n", out);
    text_class(out, sh, TL_REGION_STACK);
    if (sh->error) {
        fputs("    incomplete: ", out);
        escape_fputs(sh->error, out);
        fputc('\n', out);
    }
}

static void text_private_stack(FILE *out, const tl_private *pv)
{
    char a[32], b[32];
    if (!pv->stack_known) {
        fputs("stack unknown (running: no SP without its registers)", out);
        return;
    }
    fprintf(out, "stack 0x%" PRIx64 "-0x%" PRIx64 "%s reserved %s, used ", pv->stack_start,
            pv->stack_end, pv->main_stack ? " [stack]" : "", human(pv->stack_end - pv->stack_start, a));
    if (pv->source != TL_REGS_NONE)
        fputs(human(pv->stack_used, b), out);
    else
        fputs("n/a", out);
}

void text_private(FILE *out, const tl_thread *t)
{
    const tl_private *pv = &t->priv;
    if (!pv->valid)
        return;
    fputs("   Private: ", out);
    text_private_stack(out, pv);
    if (pv->source != TL_REGS_NONE)
        fprintf(out, "; pc 0x%" PRIx64 " sp 0x%" PRIx64 " (from %s)", pv->pc, pv->sp,
                model_regs_source_name(pv->source));
    if (pv->tls_known)
        fprintf(out, " tls 0x%" PRIx64, pv->tls);
    fputs("; sigmask ", out);
    escape_fputs(t->sig_blocked && t->sig_blocked[0] ? t->sig_blocked : "n/a", out);
    fputc('\n', out);
}
