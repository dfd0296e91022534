#include "threadlens/model.h"
#include "threadlens/java.h"

#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *model_state_word(char state)
{
    switch (state) {
    case 'R': return "running";
    case 'S': return "sleeping";
    case 'D': return "disk-sleep";
    case 'T': return "stopped";
    case 't': return "tracing-stop";
    case 'Z': return "zombie";
    case 'X': return "dead";
    case 'I': return "idle";
    case 'P': return "parked";
    case 'W': return "waking";
    case 'K': return "wakekill";
    default: return "unknown";
    }
}

const char *model_policy_name(int policy)
{
    switch (policy) {
    case SCHED_OTHER: return "SCHED_OTHER";
    case SCHED_FIFO: return "SCHED_FIFO";
    case SCHED_RR: return "SCHED_RR";
    case SCHED_BATCH: return "SCHED_BATCH";
    case SCHED_IDLE: return "SCHED_IDLE";
    case 6: return "SCHED_DEADLINE";
    default: return "unknown";
    }
}

const char *model_wait_kind_name(tl_wait_kind kind)
{
    static const char *const names[] = {
        [TL_WAIT_NONE] = "none", [TL_WAIT_MUTEX] = "mutex", [TL_WAIT_PI_MUTEX] = "pi_mutex",
        [TL_WAIT_JOIN] = "join", [TL_WAIT_CONDVAR] = "condvar", [TL_WAIT_RWLOCK] = "rwlock",
        [TL_WAIT_SEMAPHORE] = "semaphore", [TL_WAIT_FUTEX] = "futex", [TL_WAIT_FD] = "fd",
        [TL_WAIT_SLEEP] = "sleep", [TL_WAIT_CHILD] = "child", [TL_WAIT_OTHER] = "other",
    };
    if ((unsigned)kind < sizeof names / sizeof names[0] && names[kind])
        return names[kind];
    return "unknown";
}

const char *model_wait_end_name(tl_wait_end end)
{
    switch (end) {
    case TL_END_TIMEOUT: return "timeout";
    case TL_END_SIGNAL: return "signal";
    case TL_END_ANOTHER_HOLDER: return "another holder";
    case TL_END_HOLDER_ONLY: break;
    }
    return NULL;
}

const char *model_verdict_name(tl_verdict v)
{
    static const char *const names[] = {
        [TL_VERDICT_BLOCKED] = "blocked", [TL_VERDICT_BUSY] = "busy", [TL_VERDICT_IDLE] = "idle",
        [TL_VERDICT_CHANGING] = "changing", [TL_VERDICT_NEW] = "new", [TL_VERDICT_ENDED] = "ended",
    };
    if ((unsigned)v < sizeof names / sizeof names[0])
        return names[v];
    return NULL;
}

const char *model_region_class_name(tl_region_class cls)
{
    static const char *const names[] = {
        [TL_REGION_OTHER] = "other", [TL_REGION_CODE] = "code", [TL_REGION_DATA] = "data",
        [TL_REGION_HEAP] = "heap", [TL_REGION_STACK] = "stack", [TL_REGION_GUARD] = "guard",
        [TL_REGION_FILE] = "file", [TL_REGION_SHM] = "shm", [TL_REGION_KERNEL] = "kernel",
    };
    if ((unsigned)cls < sizeof names / sizeof names[0] && names[cls])
        return names[cls];
    return "unknown";
}

const char *model_regs_source_name(tl_regs_source src)
{
    switch (src) {
    case TL_REGS_PTRACE: return "registers";
    case TL_REGS_SYSCALL: return "syscall";
    default: return "none";
    }
}

const char *model_stop_reason_name(tl_stop_reason r)
{
    switch (r) {
    case TL_STOP_RUNNING: return "running";
    case TL_STOP_WOKE: return "woke";
    case TL_STOP_REGISTER: return "register";
    case TL_STOP_MEMORY: return "memory";
    case TL_STOP_UNREADABLE: return "unreadable";
    case TL_STOP_ARCH: return "arch";
    case TL_STOP_DISABLED: return "disabled";
    case TL_STOP_CONSISTENT: return "consistent";
    default: return "unknown";
    }
}

const char *model_signal_name(int signo, char buf[16])
{
    const char *abbrev = signo > 0 && signo < SIGRTMIN ? sigabbrev_np(signo) : NULL;
    if (abbrev)
        snprintf(buf, 16, "%s", abbrev);
    else if (signo >= SIGRTMIN && signo <= SIGRTMAX)
        snprintf(buf, 16, "RTMIN+%d", signo - SIGRTMIN);
    else
        snprintf(buf, 16, "%d", signo);
    return buf;
}

const tl_process *model_find_process(const tl_snapshot *s, int pid)
{
    for (size_t i = 0; i < s->nprocs; i++)
        if (s->procs[i].pid == pid)
            return &s->procs[i];
    return NULL;
}

const tl_thread *model_find_thread(const tl_snapshot *s, int tid, const tl_process **proc)
{
    for (size_t i = 0; i < s->nprocs; i++) {
        const tl_process *p = &s->procs[i];
        for (size_t j = 0; j < p->nthreads; j++) {
            if (p->threads[j].tid == tid) {
                if (proc)
                    *proc = p;
                return &p->threads[j];
            }
        }
    }
    return NULL;
}

size_t model_thread_count(const tl_snapshot *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nprocs; i++)
        n += s->procs[i].nthreads;
    return n;
}

bool snapshot_add_note(tl_snapshot *s, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **grown = realloc(s->notes, (s->nnotes + 1) * sizeof *grown);
    if (!grown)
        return false;
    s->notes = grown;
    s->notes[s->nnotes] = strdup(buf);
    if (!s->notes[s->nnotes])
        return false;
    s->nnotes++;
    return true;
}

void frame_clear(tl_frame *f)
{
    free(f->function);
    free(f->module);
    free(f->file);
    memset(f, 0, sizeof *f);
}

void wait_clear(tl_wait *w)
{
    free(w->syscall_name);
    free(w->object);
    free(w->description);
    memset(w, 0, sizeof *w);
    w->fd = -1;
}

/* strdup of NULL is NULL; *ok turns false when a copy fails. */
static char *dup_field(const char *s, bool *ok)
{
    char *copy = s ? strdup(s) : NULL;
    if (s && !copy)
        *ok = false;
    return copy;
}

bool wait_copy(tl_wait *dst, const tl_wait *src)
{
    wait_clear(dst);
    bool ok = true;
    *dst = *src;
    dst->syscall_name = dup_field(src->syscall_name, &ok);
    dst->object = dup_field(src->object, &ok);
    dst->description = dup_field(src->description, &ok);
    if (!ok)
        wait_clear(dst);
    return ok;
}

void kernel_frames_free(tl_kernel_frame *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].function);
        free(f[i].module);
    }
    free(f);
}

void thread_clear(tl_thread *t)
{
    free(t->name);
    free(t->wchan);
    free(t->sig_blocked);
    for (size_t i = 0; i < t->nframes; i++)
        frame_clear(&t->frames[i]);
    free(t->frames);
    free(t->stack_error);
    free(t->stack_warning);
    kernel_frames_free(t->kernel_frames, t->nkernel_frames);
    wait_clear(&t->wait);
    java_thread_free(t->java);
    memset(t, 0, sizeof *t);
    t->wait.fd = -1;
}

void shared_clear(tl_shared *sh)
{
    free(sh->error);
    for (size_t i = 0; i < sh->nregions; i++)
        free(sh->regions[i].path);
    free(sh->regions);
    for (size_t i = 0; i < sh->nfds_listed; i++)
        free(sh->fds[i].target);
    free(sh->fds);
    memset(sh, 0, sizeof *sh);
}

void process_clear(tl_process *p)
{
    shared_clear(&p->shared);
    free(p->name);
    free(p->cmdline);
    free(p->user);
    free(p->error);
    for (size_t i = 0; i < p->nthreads; i++)
        thread_clear(&p->threads[i]);
    free(p->threads);
    jvm_free(p->jvm);
    memset(p, 0, sizeof *p);
}

void deadlock_clear(tl_deadlock *d)
{
    free(d->tids);
    free(d->edges);
    memset(d, 0, sizeof *d);
}

void snapshot_free(tl_snapshot *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nprocs; i++)
        process_clear(&s->procs[i]);
    free(s->procs);
    for (size_t i = 0; i < s->ndeadlocks; i++)
        deadlock_clear(&s->deadlocks[i]);
    free(s->deadlocks);
    for (size_t i = 0; i < s->nnotes; i++)
        free(s->notes[i]);
    free(s->notes);
    for (size_t i = 0; i < s->nchains; i++)
        free(s->chains[i].tids);
    free(s->chains);
    free(s);
}
