#include "outermost.h"

#include <string.h>

/* Go names its assembly functions NAME.abi0 in the symbol table. */
static bool go_name(const char *fn, const char *name)
{
    size_t len = strlen(name);
    return strncmp(fn, name, len) == 0 && (fn[len] == '\0' || strcmp(fn + len, ".abi0") == 0);
}

static bool clone_name(const char *fn)
{
    return strcmp(fn, "clone3") == 0 || strcmp(fn, "__clone3") == 0 || strcmp(fn, "clone") == 0 ||
           strcmp(fn, "__clone") == 0;
}

/* 0: not an outermost function; 1: a Go one (always cut); 2: a C one. */
static int outermost_kind(const tl_frame *f)
{
    const char *fn = f->function;
    if (!fn)
        return 0;
    if (go_name(fn, "runtime.clone") || go_name(fn, "runtime.goexit") || go_name(fn, "runtime.rt0_go") ||
        go_name(fn, "runtime.mcall") || go_name(fn, "runtime.mstart"))
        return 1;
    if (clone_name(fn) || strcmp(fn, "_start") == 0 || strcmp(fn, "start_thread") == 0)
        return 2;
    return 0;
}

size_t frames_outermost_keep(const tl_frame *f, size_t n, bool ended_badly)
{
    for (size_t i = 0; i < n; i++) {
        int kind = outermost_kind(&f[i]);
        if (!kind)
            continue;
        size_t keep = i + 1;
        /* start_thread is called by clone3 (or clone), Go's mstart by runtime.clone (or rt0_go
         * on the main thread): keep that one frame more */
        const char *next = keep < n ? f[keep].function : NULL;
        if (next && ((strcmp(f[i].function, "start_thread") == 0 && clone_name(next)) ||
                     (go_name(f[i].function, "runtime.mstart") &&
                      (go_name(next, "runtime.clone") || go_name(next, "runtime.rt0_go")))))
            keep++;
        if (keep == n)
            return n;
        bool suspect = ended_badly;
        for (size_t j = keep; j < n && !suspect; j++)
            suspect = f[j].guessed;
        if (kind == 1 || suspect)
            return keep;
        i = keep - 1;   /* CFI went on: look further (a signal handler's start_thread...) */
    }
    return n;
}

bool frames_end_at_outermost(const tl_frame *f, size_t n)
{
    return n > 0 && outermost_kind(&f[n - 1]) != 0;
}
