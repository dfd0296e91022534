#include "debuginfod.h"

#include <dlfcn.h>
#include <elfutils/debuginfod.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* libdebuginfod is opened only when a lookup is about to be made: linked, it (with libcurl and
 * its TLS stack) was loaded, relocated and initialised at every start, most of a small dump's
 * instructions (README, "Performance"). The header gives the types; the three calls come from
 * here. */
typedef struct debuginfod_calls {
    debuginfod_client *(*begin)(void);
    void (*set_progressfn)(debuginfod_client *, debuginfod_progressfn_t);
    int (*find_debuginfo)(debuginfod_client *, const unsigned char *, int, char **);
} debuginfod_calls;

static const debuginfod_calls *calls_get(void)
{
    static debuginfod_calls calls;
    static bool looked, usable;
    if (looked)
        return usable ? &calls : NULL;
    looked = true;
    void *lib = dlopen("libdebuginfod.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return NULL;
    *(void **)&calls.begin = dlsym(lib, "debuginfod_begin");
    *(void **)&calls.set_progressfn = dlsym(lib, "debuginfod_set_progressfn");
    *(void **)&calls.find_debuginfo = dlsym(lib, "debuginfod_find_debuginfo");
    usable = calls.begin && calls.set_progressfn && calls.find_debuginfo;
    return usable ? &calls : NULL;
}

/* One client per thread of ours (a client is not for concurrent use), made on first need. */
static _Thread_local debuginfod_client *client;
static _Thread_local uint64_t lookup_deadline_ns;
static _Thread_local bool lookup_cut;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int debuginfod_enabled(void)
{
    const char *urls = getenv("DEBUGINFOD_URLS");
    return urls && urls[strspn(urls, " \t")] != '\0';
}

/* Called by libdebuginfod while it waits or transfers: nonzero ends the lookup. */
static int progress(debuginfod_client *c, long done, long total)
{
    (void)c, (void)done, (void)total;
    if (now_ns() < lookup_deadline_ns)
        return 0;
    lookup_cut = true;
    return 1;
}

static debuginfod_client *client_get(const debuginfod_calls *calls)
{
    if (!client) {
        setenv("DEBUGINFOD_TIMEOUT", "5", 0);   /* libdebuginfod's default is 90 s */
        client = calls->begin();
        if (client)
            calls->set_progressfn(client, progress);
    }
    return client;
}

int debuginfod_fetch(debuginfod_budget *b, const unsigned char *build_id, size_t len, char **path)
{
    *path = NULL;
    if (!debuginfod_enabled() || len == 0 || b->spent_ns >= DEBUGINFOD_BUDGET_MS * 1000000ULL)
        return -1;
    const debuginfod_calls *calls = calls_get();
    if (!calls)
        return -1;   /* libdebuginfod1 is not installed: frames stay as without a server */
    debuginfod_client *c = client_get(calls);
    if (!c)
        return -1;
    uint64_t left = DEBUGINFOD_BUDGET_MS * 1000000ULL - b->spent_ns;
    uint64_t bound = DEBUGINFOD_LOOKUP_MS * 1000000ULL < left ? DEBUGINFOD_LOOKUP_MS * 1000000ULL : left;
    uint64_t t0 = now_ns();
    lookup_deadline_ns = t0 + bound;
    lookup_cut = false;
    int fd = calls->find_debuginfo(c, build_id, (int)len, path);
    b->spent_ns += now_ns() - t0;
    b->lookups++;
    b->cut += lookup_cut;
    if (fd >= 0)
        b->found++;
    else {
        free(*path);
        *path = NULL;
    }
    return fd < 0 ? -1 : fd;
}
