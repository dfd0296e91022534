#include "symbol_hints.h"

#include "platform/platform.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define HINT_MODULES_MAX 512   /* modules of one process counted at most */

typedef struct module_count {
    const char *module;
    size_t frames, unnamed;
} module_count;

static void count_frame(module_count *mc, size_t *n, const tl_frame *f)
{
    if (!f->module || f->module[0] != '/')   /* [vdso], [perf-map]: no package to name */
        return;
    size_t i = 0;
    while (i < *n && strcmp(mc[i].module, f->module) != 0)
        i++;
    if (i == *n) {
        if (*n == HINT_MODULES_MAX)
            return;
        mc[(*n)++] = (module_count){.module = f->module};
    }
    mc[i].frames++;
    mc[i].unnamed += !f->function;
}

/* Whether a note names module already (a hint, or why its file was not opened). */
static bool already_noted(const tl_snapshot *s, const char *module)
{
    size_t len = strlen(module);
    for (size_t i = 0; i < s->nnotes; i++)
        for (const char *at = strstr(s->notes[i], module); at; at = strstr(at + 1, module))
            if (at[len] == '\0' || strchr(" :;,)", at[len]))
                return true;
    return false;
}

static void hint(tl_snapshot *s, const tl_process *p, const module_count *m)
{
    const char *urls = getenv("DEBUGINFOD_URLS");
    char pkg[96];
    if (urls && urls[0])
        snapshot_add_note(s, "process %d: %zu of %zu frames in %s have no function name; no debug file for it "
                          "in /usr/lib/debug, nor from the debuginfod servers of DEBUGINFOD_URLS in time",
                          p->pid, m->unnamed, m->frames, m->module);
    else if (platform_debug_package(m->module, pkg, sizeof pkg))
        snapshot_add_note(s, "process %d: %zu of %zu frames in %s have no function name; install its debug "
                          "symbols (package %s-dbgsym, from the debug archive), or set DEBUGINFOD_URLS "
                          "to a debuginfod server",
                          p->pid, m->unnamed, m->frames, m->module, pkg);
    else
        snapshot_add_note(s, "process %d: %zu of %zu frames in %s have no function name; install its debug "
                          "symbols (the -dbgsym package of the one `dpkg -S` names for the file), or set "
                          "DEBUGINFOD_URLS to a debuginfod server",
                          p->pid, m->unnamed, m->frames, m->module);
}

void symbol_hints_note(tl_snapshot *s, const tl_process *p)
{
    module_count *mc = calloc(HINT_MODULES_MAX, sizeof *mc);
    size_t n = 0;
    if (!mc)
        return;
    for (size_t t = 0; t < p->nthreads; t++)
        for (size_t k = 0; k < p->threads[t].nframes; k++)
            count_frame(mc, &n, &p->threads[t].frames[k]);
    for (size_t i = 0; i < n; i++)
        if (mc[i].unnamed * 2 > mc[i].frames && !already_noted(s, mc[i].module))
            hint(s, p, &mc[i]);
    free(mc);
}
