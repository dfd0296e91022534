#include "live_tasks.h"

#include "procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define LIVE_MAX_TASKS (4u << 20)      /* a bound on one listing: above the kernel's PID_MAX_LIMIT */
#define LIVE_FD_RESERVE 256            /* descriptors left for everything else (ELF files, maps) */
#define LIVE_FD_CAP 12288u             /* 4096 threads; each file holds a page of kernel memory */

static const char *const file_names[LIVE_NFILES] = {"stat", "schedstat", "status", "children"};
/* status is read only for threads that ran: keeping it would hold a page for little gain */
static const bool file_kept[LIVE_NFILES] = {true, true, false, true};

typedef struct live_task {
    int tid;
    int fd[LIVE_NFILES];               /* -1: not kept */
    live_memo memo;
    live_skip skip;
} live_task;

struct live_proc {
    int pid;
    uint64_t start_ms;
    DIR *task_dir;
    live_task *tasks;                  /* sorted by tid */
    size_t ntasks;
    bool listed;                       /* since the last sweep */
    uint64_t list_due_ns;              /* skip_quiet: the task directory is read again from then */
    live_proc_skip skip;
};

struct live_cache {
    live_proc **procs;
    size_t nprocs;
    size_t kept, budget;
    bool skip_quiet;
};

/* A quarter of the descriptors is left for the rest of threadlens; the front end may raise
 * the soft limit first (threadlens top does). */
static size_t fd_budget(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur <= LIVE_FD_RESERVE * 2)
        return 0;
    rlim_t usable = rl.rlim_cur == RLIM_INFINITY ? LIVE_FD_CAP : (rl.rlim_cur - LIVE_FD_RESERVE) / 4 * 3;
    return usable > LIVE_FD_CAP ? LIVE_FD_CAP : (size_t)usable;
}

live_cache *live_cache_new(void)
{
    live_cache *c = calloc(1, sizeof *c);
    if (c)
        c->budget = fd_budget();
    return c;
}

static void task_close(live_cache *c, live_task *t)
{
    for (int f = 0; f < LIVE_NFILES; f++)
        if (t->fd[f] >= 0) {
            close(t->fd[f]);
            t->fd[f] = -1;
            c->kept--;
        }
    t->memo.valid = false;
    memset(&t->skip, 0, sizeof t->skip);
}

static void proc_free(live_cache *c, live_proc *lp)
{
    for (size_t i = 0; i < lp->ntasks; i++)
        task_close(c, &lp->tasks[i]);
    if (lp->task_dir)
        closedir(lp->task_dir);
    free(lp->tasks);
    free(lp);
}

void live_cache_free(live_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nprocs; i++)
        proc_free(c, c->procs[i]);
    free(c->procs);
    free(c);
}

void live_cache_skip_quiet(live_cache *c, bool on)
{
    c->skip_quiet = on;
}

bool live_cache_skips_quiet(const live_cache *c)
{
    return c->skip_quiet;
}

void live_cache_sweep(live_cache *c)
{
    size_t kept = 0;
    for (size_t i = 0; i < c->nprocs; i++) {
        if (!c->procs[i]->listed) {
            proc_free(c, c->procs[i]);
            continue;
        }
        c->procs[i]->listed = false;
        c->procs[kept++] = c->procs[i];
    }
    c->nprocs = kept;
}

static live_proc *find_any(live_cache *c, int pid)
{
    for (size_t i = 0; i < c->nprocs; i++)
        if (c->procs[i]->pid == pid)
            return c->procs[i];
    return NULL;
}

live_proc *live_find(live_cache *c, int pid)
{
    live_proc *lp = find_any(c, pid);
    return lp && lp->listed ? lp : NULL;
}

/* The entry for pid, new or reset when the PID now names another process. */
static tl_status proc_for(live_cache *c, int pid, uint64_t start_ms, live_proc **out)
{
    live_proc *lp = find_any(c, pid);
    if (lp && lp->start_ms != start_ms) {
        memset(&lp->skip, 0, sizeof lp->skip);
        lp->list_due_ns = 0;
        for (size_t i = 0; i < lp->ntasks; i++)
            task_close(c, &lp->tasks[i]);
        lp->ntasks = 0;
        if (lp->task_dir)
            closedir(lp->task_dir);
        lp->task_dir = NULL;
    }
    if (!lp) {
        live_proc **grown = realloc(c->procs, (c->nprocs + 1) * sizeof *grown);
        if (!grown)
            return TL_ENOMEM;
        c->procs = grown;
        if (!(lp = calloc(1, sizeof *lp)))
            return TL_ENOMEM;
        c->procs[c->nprocs++] = lp;
        lp->pid = pid;
    }
    lp->start_ms = start_ms;
    if (!lp->task_dir) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/task", pid);
        if (!(lp->task_dir = opendir(path)))
            return procfs_errno_status(errno);
    }
    *out = lp;
    return TL_OK;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The TIDs in the task directory now, sorted. */
static tl_status read_tids(DIR *d, int **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    rewinddir(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && *n < LIVE_MAX_TASKS) {
        int tid = atoi(e->d_name);
        if (tid <= 0)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            int *grown = realloc(*out, cap * sizeof *grown);
            if (!grown)
                return free(*out), *out = NULL, TL_ENOMEM;
            *out = grown;
        }
        (*out)[(*n)++] = tid;
    }
    qsort(*out, *n, sizeof **out, cmp_int);
    return TL_OK;
}

/* New task array for the listed tids: entries of threads still there keep their descriptors
 * (both lists are sorted), the others' are closed. */
static tl_status sync_tasks(live_cache *c, live_proc *lp, const int *tids, size_t n)
{
    live_task *next = malloc((n ? n : 1) * sizeof *next);
    if (!next)
        return TL_ENOMEM;
    size_t old = 0;
    for (size_t i = 0; i < n; i++) {
        while (old < lp->ntasks && lp->tasks[old].tid < tids[i])
            task_close(c, &lp->tasks[old++]);
        if (old < lp->ntasks && lp->tasks[old].tid == tids[i]) {
            next[i] = lp->tasks[old++];
            continue;
        }
        memset(&next[i], 0, sizeof next[i]);
        next[i].tid = tids[i];
        for (int f = 0; f < LIVE_NFILES; f++)
            next[i].fd[f] = -1;
    }
    while (old < lp->ntasks)
        task_close(c, &lp->tasks[old++]);
    free(lp->tasks);
    lp->tasks = next;
    lp->ntasks = n;
    return TL_OK;
}

/* Can the previous listing of lp stand (skip_quiet)? Not when the count of threads moved. */
static bool listing_stands(const live_cache *c, const live_proc *lp, size_t nlwp, uint64_t now_ns)
{
    return c->skip_quiet && lp->ntasks > 0 && lp->ntasks == nlwp && now_ns < lp->list_due_ns;
}

void live_list_again(live_proc *lp)
{
    lp->list_due_ns = 0;
}

tl_status live_list(live_cache *c, int pid, uint64_t start_ms, size_t nlwp, uint64_t now_ns, live_proc **out,
                    tl_error *err)
{
    *out = NULL;
    live_proc *lp = NULL;
    tl_status st = proc_for(c, pid, start_ms, &lp);
    if (st != TL_OK)
        return tl_error_set(err, st, "cannot list the threads of process %d: %s", pid,
                            st == TL_ENOMEM ? "out of memory" : strerror(errno));
    if (listing_stands(c, lp, nlwp, now_ns)) {
        lp->listed = true;
        *out = lp;
        return TL_OK;
    }
    lp->list_due_ns = now_ns + LIVE_FULL_READ_NS;
    int *tids;
    size_t n;
    st = read_tids(lp->task_dir, &tids, &n);
    if (st == TL_OK)
        st = sync_tasks(c, lp, tids, n);
    free(tids);
    if (st != TL_OK)
        return tl_error_set(err, st, "out of memory listing the threads of process %d", pid);
    if (n == 0)   /* the directory of a process that has exited lists nothing */
        return tl_error_set(err, TL_ENOENT, "process %d exited while its threads were read", pid);
    lp->listed = true;
    *out = lp;
    return TL_OK;
}

live_proc_skip *live_proc_skip_of(live_proc *lp)
{
    return &lp->skip;
}

size_t live_ntasks(const live_proc *lp)
{
    return lp->ntasks;
}

int live_tid(const live_proc *lp, size_t i)
{
    return lp->tasks[i].tid;
}

live_skip *live_skip_of(live_proc *lp, size_t i)
{
    return &lp->tasks[i].skip;
}

live_memo *live_memo_of(live_proc *lp, size_t i)
{
    return &lp->tasks[i].memo;
}

static int cmp_task_tid(const void *key, const void *elem)
{
    int tid = *(const int *)key, other = ((const live_task *)elem)->tid;
    return (tid > other) - (tid < other);
}

live_memo *live_memo_find(live_proc *lp, int tid)
{
    live_task *t = lp && lp->ntasks ? bsearch(&tid, lp->tasks, lp->ntasks, sizeof *lp->tasks, cmp_task_tid) : NULL;
    return t ? &t->memo : NULL;
}

int live_task_dir(const live_proc *lp)
{
    return lp && lp->task_dir ? dirfd(lp->task_dir) : -1;
}

static ssize_t read_fd(int fd, char *buf, size_t cap)
{
    ssize_t n;
    do
        n = pread(fd, buf, cap - 1, 0);
    while (n < 0 && errno == EINTR);
    if (n >= 0)
        buf[n] = '\0';
    return n;
}

/* Opens file f of the thread through the task directory; keeps it while the budget allows,
 * the other files only along with stat: stat is read first on every refresh and its failure
 * closes them all, so no file outlives the thread it was opened for (children of an exited
 * thread reads as empty, not as an error). */
static ssize_t read_fresh(live_cache *c, live_proc *lp, live_task *t, live_file f, char *buf, size_t cap)
{
    char rel[48];
    snprintf(rel, sizeof rel, "%d/%s", t->tid, file_names[f]);
    int fd = openat(dirfd(lp->task_dir), rel, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read_fd(fd, buf, cap);
    int saved = errno;
    bool keep = file_kept[f] && c->kept < c->budget && (f == LIVE_STAT || t->fd[LIVE_STAT] >= 0);
    if (n >= 0 && keep) {
        t->fd[f] = fd;
        c->kept++;
    } else {
        close(fd);
    }
    errno = saved;
    return n;
}

static ssize_t read_file(live_cache *c, live_proc *lp, live_task *t, live_file f, char *buf, size_t cap)
{
    if (t->fd[f] >= 0) {
        ssize_t n = read_fd(t->fd[f], buf, cap);
        if (n >= 0)
            return n;
        /* that thread exited; a thread that now has its TID is another: drop all of its files */
        task_close(c, t);
    }
    return read_fresh(c, lp, t, f, buf, cap);
}

ssize_t live_read(live_cache *c, live_proc *lp, size_t i, live_file f, char *buf, size_t cap)
{
    live_task *t = &lp->tasks[i];
    if (cap < 2)
        return errno = EINVAL, -1;
    bool children = f == LIVE_CHILDREN;
    if (children && t->skip.quiet && t->skip.children_empty) {
        buf[0] = '\0';
        return 0;
    }
    ssize_t n = read_file(c, lp, t, f, buf, cap);
    if (children)
        t->skip.children_empty = n == 0;
    return n;
}
