/* The ranges of a process that a memory read could hang on (mem_guard.h): from mountinfo, the
 * devices of FUSE and network file systems; from smaps, every mapping of a file on one of them
 * and every range registered with a userfaultfd. A small per-process cache (a dump reads them
 * once per process; the live view once per refresh). */
#include "mem_guard.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maps_parse.h"

#define GUARD_PROCS 16          /* processes whose ranges are cached */
#define GUARD_RANGES_MAX 4096   /* unsafe ranges kept per process (more: the rest is refused whole) */
#define MOUNTS_MAX 256          /* hanging-prone mounts looked at per process */
#define SMAPS_LINES_MAX (64u * 1024 * 1024)

typedef struct hang_mount {
    unsigned major, minor;
    char fstype[TL_MEM_REASON_MAX];
} hang_mount;

typedef struct guard_proc {
    int pid;
    uint64_t read_ns;
    uint64_t cost_ns;           /* how long reading them took */
    tl_mem_range *r;
    size_t n;
    bool overflow;              /* more than GUARD_RANGES_MAX: everything above r[n-1] too */
} guard_proc;

static pthread_mutex_t guard_lock = PTHREAD_MUTEX_INITIALIZER;
static guard_proc guard_procs[GUARD_PROCS];
static unsigned max_age_ms = MEM_GUARD_MAX_AGE_MS;   /* under the lock */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static FILE *open_proc(int pid, const char *file)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
    return fopen(path, "re");
}

static size_t read_mounts(int pid, hang_mount *m)
{
    FILE *f = open_proc(pid, "mountinfo");
    if (!f)
        return 0;
    char *line = NULL;
    size_t cap = 0, n = 0;
    ssize_t len;
    for (unsigned lines = 0; n < MOUNTS_MAX && lines < 1u << 20 && (len = getline(&line, &cap, f)) > 0; lines++)
        if (maps_parse_mountinfo(line, (size_t)len, &m[n].major, &m[n].minor, m[n].fstype, sizeof m[n].fstype) &&
            maps_fstype_may_hang(m[n].fstype))
            n++;
    free(line);
    fclose(f);
    return n;
}

static const char *mount_of(const hang_mount *m, size_t n, const maps_line *ml)
{
    if (ml->inode == 0)
        return NULL;   /* anonymous memory (device 0:0 is no mount) */
    for (size_t i = 0; i < n; i++)
        if (m[i].major == ml->dev_major && m[i].minor == ml->dev_minor)
            return m[i].fstype;
    return NULL;
}

static void add_range(guard_proc *g, size_t *cap, uint64_t start, uint64_t end, const char *why)
{
    if (g->n && g->r[g->n - 1].end == start && strcmp(g->r[g->n - 1].reason, why) == 0) {
        g->r[g->n - 1].end = end;   /* one region split into several mappings */
        return;
    }
    if (g->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        tl_mem_range *grown = ncap <= GUARD_RANGES_MAX ? realloc(g->r, ncap * sizeof *grown) : NULL;
        if (!grown) {
            g->overflow = true;
            return;
        }
        g->r = grown;
        *cap = ncap;
    }
    tl_mem_range *r = &g->r[g->n++];
    r->start = start;
    r->end = end;
    snprintf(r->reason, sizeof r->reason, "%s", why);
}

static void read_ranges(guard_proc *g)
{
    hang_mount mounts[MOUNTS_MAX];
    size_t nmounts = read_mounts(g->pid, mounts), cap = 0;
    FILE *f = open_proc(g->pid, "smaps");
    if (!f)
        return;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    maps_line cur = {0};
    bool have = false, cur_added = false;
    for (unsigned n = 0; n < SMAPS_LINES_MAX && !g->overflow && (len = getline(&line, &lcap, f)) > 0; n++) {
        maps_line ml;
        bool uffd;
        if (maps_parse_line(line, (size_t)len, &ml)) {
            cur = ml;
            have = true;
            const char *fs = mount_of(mounts, nmounts, &cur);
            cur_added = fs != NULL;
            if (fs)
                add_range(g, &cap, cur.start, cur.end, fs);
        } else if (have && !cur_added && maps_parse_vmflags(line, (size_t)len, &uffd) && uffd) {
            add_range(g, &cap, cur.start, cur.end, "userfaultfd");
            cur_added = true;
        }
    }
    free(line);
    fclose(f);
}

/* How long an entry stays fresh: MEM_GUARD_MAX_AGE_MS, or MEM_GUARD_COST_FACTOR times what
 * reading it cost when that is longer. smaps walks every mapping's page tables: on a
 * 10,000-thread process (20,000 mappings) one read takes tens of milliseconds, and re-reading it
 * every 500 ms cost more than the dump itself (200 reads in an 11 s dump). Bounded this way,
 * the guard's share of a dump's time stays under 1/MEM_GUARD_COST_FACTOR. */
static bool fresh(const guard_proc *g, uint64_t now)
{
    uint64_t age = max_age_ms * 1000000ULL;
    if (g->cost_ns > age / MEM_GUARD_COST_FACTOR)
        age = g->cost_ns * MEM_GUARD_COST_FACTOR;
    return now - g->read_ns <= age;
}

/* The cached entry of pid, read again when no longer fresh at now + ahead_ns. Under the lock. */
static guard_proc *guard_get(int pid, uint64_t ahead_ns)
{
    uint64_t now = now_ns() + ahead_ns;
    guard_proc *slot = &guard_procs[0];
    for (size_t i = 0; i < GUARD_PROCS; i++) {
        guard_proc *g = &guard_procs[i];
        if (g->pid == pid && fresh(g, now))
            return g;
        if (g->pid == pid || (slot->pid != pid && g->read_ns < slot->read_ns))
            slot = g;
    }
    free(slot->r);
    now -= ahead_ns;
    *slot = (guard_proc){.pid = pid, .read_ns = now};
    read_ranges(slot);
    slot->cost_ns = now_ns() - now;
    return slot;
}

void mem_guard_prepare(int pid)
{
    pthread_mutex_lock(&guard_lock);
    guard_get(pid, MEM_GUARD_PREPARE_MS * 1000000ULL);
    pthread_mutex_unlock(&guard_lock);
}

bool mem_guard_unsafe(int pid, uint64_t addr, uint64_t len, tl_mem_range *hit)
{
    uint64_t end = addr + len < addr ? UINT64_MAX : addr + len;
    bool unsafe = false;
    pthread_mutex_lock(&guard_lock);
    const guard_proc *g = guard_get(pid, 0);
    for (size_t i = 0; i < g->n && !unsafe; i++) {
        const tl_mem_range *r = &g->r[i];
        if (r->start < end && addr < r->end) {
            unsafe = true;
            if (hit)
                *hit = *r;
        }
    }
    if (!unsafe && g->overflow && g->n && end > g->r[g->n - 1].end) {
        unsafe = true;   /* past what we could keep: not known to be safe */
        if (hit)
            *hit = (tl_mem_range){.start = g->r[g->n - 1].end, .end = UINT64_MAX, .reason = "too many ranges"};
    }
    pthread_mutex_unlock(&guard_lock);
    return unsafe;
}

void mem_guard_set_max_age(unsigned ms)
{
    pthread_mutex_lock(&guard_lock);
    max_age_ms = ms;
    pthread_mutex_unlock(&guard_lock);
}

void mem_guard_forget(int pid)
{
    pthread_mutex_lock(&guard_lock);
    for (size_t i = 0; i < GUARD_PROCS; i++)
        if (guard_procs[i].pid == pid)
            guard_procs[i].read_ns = 0, guard_procs[i].pid = 0;
    pthread_mutex_unlock(&guard_lock);
}
