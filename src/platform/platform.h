/* The one interface between the core and the operating system. Exactly one backend folder
 * (src/platform/linux, src/platform/unsupported, ...) implements it, chosen by the build.
 * The backend reads and captures; it never formats and never prints. */
#ifndef THREADLENS_PLATFORM_H
#define THREADLENS_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

/* ---- counters: read-only, never stops anything ---------------------------------------- */

/* Per-sampler state of the backend (e.g. the live view's kept files). Not for concurrent use. */
typedef struct platform_reader platform_reader;

/* live: the reader serves repeated reads of the same processes (the live view's refreshes).
 * It keeps each thread's counter files open between reads (one read each per refresh instead
 * of a path walk, open, read and close), and platform_read_threads then reads counters only:
 * the caller asks platform_read_thread_calls for the threads whose calls it needs. */
tl_status platform_reader_open(platform_reader **out, bool live, tl_error *err);
void platform_reader_close(platform_reader *r);
/* Live readers: lets go of what was kept for processes and threads not read since the
 * previous sweep (called once per take). */
void platform_reader_sweep(platform_reader *r);
/* Whether platform_read_threads also reads each thread's schedstat (tl_thread.sched): the
 * stack pass takes it as the "before" of a zero-stop capture (platform_capture_listed).
 * Off by default; live readers keep their own. */
void platform_reader_schedstat(platform_reader *r, bool on);

/* Clock facts for the snapshot header. */
uint64_t platform_uptime_ms(void);
long platform_clock_ticks(void);

/* Direct children of every thread of pid; *out is malloc'd (free it). */
tl_status platform_list_children(platform_reader *r, int pid, int **out, size_t *n, tl_error *err);

/* Process-level fields of p (p->pid must be set). TL_ENOENT when it is gone. */
tl_status platform_read_process(platform_reader *r, tl_process *p, tl_error *err);

/* Every thread of p with its counters, wchan and current syscall (a live reader: counters
 * only, see platform_read_thread_calls). TL_PARTIAL when some thread could not be fully read
 * (it exited meanwhile); p->threads is still filled. */
tl_status platform_read_threads(platform_reader *r, tl_process *p, tl_error *err);

/* Live readers: the current system call and wait channel of thread t of process pid, read
 * after its counters. TL_ENOENT: it exited; TL_EPERM: not allowed to see them. */
tl_status platform_read_thread_calls(platform_reader *r, int pid, tl_thread *t);
/* Live readers: a stop of ours (the stack pass) switched sleeping thread tid of process pid
 * out `switches` more times, each voluntarily; its next read counts them without taking them
 * for the thread having run, when its scheduler counters moved by exactly that much (no-op for
 * other readers). */
void platform_note_stopped(platform_reader *r, int pid, int tid, unsigned switches);
/* Live readers: turns skip_quiet on (tl_sampler_options.skip_quiet; no-op for other readers). */
void platform_reader_skip_quiet(platform_reader *r, bool on);
/* The PARTIAL note for a process whose threads' calls could not be read (no permission). */
tl_status platform_calls_denied(int pid, tl_error *err);

/* Reads one thread's current system call (the wait analysis re-reads it through
 * platform_reread_syscall to drop torn observations). */
tl_status platform_read_syscall(int pid, int tid, tl_syscall *out);

/* Copies target memory without stopping anything. Returns bytes read, -1 on error (EAGAIN:
 * not read because the read could hang: a userfaultfd range, a FUSE or network file). */
ssize_t platform_read_memory(int pid, uint64_t addr, void *buf, size_t len);

/* ---- regions: what the threads of a process share; read-only, never stops anything ----- */

/* Fills out, the process's own tl_shared as platform_read_process left it (holding only the
 * SigCgt/SigIgn masks of the status it read): the memory map (at most TL_MAX_REGIONS regions,
 * sorted, class TL_REGION_OTHER: the core classifies), per-region Rss when the map is small
 * enough to read smaps cheaply, smaps_rollup, the fd count and first fds. out->valid is set when
 * the map was read. TL_PARTIAL (with out->error) when a part could not be read, TL_ENOENT when
 * the process is gone, TL_ENOMEM. */
tl_status platform_read_regions(int pid, tl_shared *out, tl_error *err);

/* ---- stacks: stop a thread briefly, copy it, unwind and name frames after it runs again ---- */

/* Per-sampler state: the one reusable stack-copy buffer, the maps of the process being taken,
 * and per-process unwinder and symbol caches that live as long as the sampler. Not for
 * concurrent use. */
typedef struct platform_stacks platform_stacks;

/* What one capture found. */
typedef struct platform_capture_info {
    uint64_t pc, sp, tls;
    uint64_t stall_ns;        /* how long we kept the thread stopped (single-thread capture) */
    uint64_t wait_ns;         /* of that, from the INTERRUPT to the stop we saw */
    bool stopped;             /* we stopped the thread (false: it could not be stopped) */
    bool zero_stop;           /* taken without a stop: blocked, pc and sp only (no tls) */
    int fallback;             /* not zero_stop: why (tl_stop_reason), -1 when not tried */
    bool in_kernel_sleep;     /* not stopped: it sleeps uninterruptibly (D, frozen); its kernel
                               * stack (platform_kernel_stack) says where */
    bool unchanged_since_listed;  /* zero_stop: its call and schedstat were still those of
                                   * platform_capture_listed, so it is the thread listed then */
} platform_capture_info;

tl_status platform_stacks_open(platform_stacks **out, tl_error *err);
void platform_stacks_close(platform_stacks *ps);

/* Starts the stack pass over process pid: reads its maps once (not per thread) and readies
 * its caches. max_stack_bytes caps each copy. */
tl_status platform_stacks_begin(platform_stacks *ps, int pid, size_t max_stack_bytes, tl_error *err);

/* Stops thread tid of the current process (PTRACE_SEIZE + PTRACE_INTERRUPT, never ATTACH),
 * copies its registers and live stack into ps, lets it run again. Inside a group stop
 * (platform_capture_process_stop) it only copies. TL_ENOENT: the thread exited; TL_EPERM: not
 * allowed or traced by someone else (err names the tracer). The copy stays valid until the
 * next capture.
 * next_tid (0: none) is the thread the caller will capture next: it is interrupted now, so
 * that the wait for it to stop overlaps this capture and the caller's unwinding (the wait is
 * most of a capture's time). Until then it is held; a capture of another thread, or
 * platform_capture_release, lets it go. */
tl_status platform_capture_thread(platform_stacks *ps, int tid, int next_tid, platform_capture_info *info,
                                  tl_error *err);
/* What thread t's counters said when it was listed (its system call and schedstat), for the
 * next platform_capture_thread of t->tid: a zero-stop capture then copies from that call's SP
 * at once and checks both unchanged after the copy (no fresh read before it); a thread that
 * ran since is read afresh. No-op when t->sched is not valid. */
void platform_capture_listed(platform_stacks *ps, const tl_thread *t);
/* Lets go of a thread interrupted ahead (next_tid) that will not be captured after all, and of
 * any thread that went into D while being interrupted (it stays seized, not stopped, until it
 * leaves D) and has stopped since. */
void platform_capture_release(platform_stacks *ps);

/* Whether captures of this sampler may copy a blocked thread's stack without stopping it
 * (zero-stop, checked to be what a stop would give, else taken with a stop), and the frame
 * bound its unwind then uses (it is unwound during the capture). Off with
 * THREADLENS_NO_ZERO_STOP=1 in the environment. */
void platform_stacks_zero_stop(platform_stacks *ps, bool allowed, size_t max_frames);

/* Group capture (--consistent): stops every listed thread of the current process; the ones
 * that could not be stopped report their error from platform_capture_thread. */
tl_status platform_capture_process_stop(platform_stacks *ps, const int *tids, size_t n, tl_error *err);
/* Lets every thread stopped by platform_capture_process_stop run again; stall_ns[i] (may be
 * NULL) gets how long tids[i] was stopped, 0 if it was not. */
void platform_capture_process_resume(platform_stacks *ps, uint64_t *stall_ns, size_t n);

/* Unwinds the last capture from its copy: frames[i].pc and signal_frame, at most max frames.
 * *truncated when the frame bound cut the walk (a loop just ends it). */
tl_status platform_unwind(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated,
                          tl_error *err);

/* Why the last unwind ended before the stack's start (an impossible return address, memory
 * that was not read), NULL when it did not. Valid until the next capture. */
const char *platform_unwind_warning(const platform_stacks *ps);

/* The memory the last capture and unwind needed but did not read because reading it could
 * hang (userfaultfd, FUSE, network file systems): up to max ranges into out, returns how many. */
size_t platform_stacks_skipped(const platform_stacks *ps, tl_mem_range *out, size_t max);

/* The first module file of the current process that was not opened for its symbols (not a
 * regular file, replaced, deleted and unreachable...), with why; NULL when none was refused. */
const char *platform_symbols_refused(const platform_stacks *ps);

/* Why the current process's perf map (its JIT code's names) was not read: a FIFO, a link, too
 * large, another user's...; NULL when it was, or when there is none. */
const char *platform_perf_map_refused(const platform_stacks *ps);

/* The package of this system that holds the file at path (dpkg-query -S, bounded in time and
 * count, answers kept): true with its name in pkg, false when none or not known. */
bool platform_debug_package(const char *path, char *pkg, size_t cap);

/* Announces frames of the current process that platform_symbolize will name (every thread's,
 * before the first is named): a module with two or more distinct addresses among them gets its
 * sorted symbols at once instead of after repeated scans. Optional; only a cost. */
void platform_symbolize_expect(platform_stacks *ps, const tl_frame *frames, size_t n);

/* Names frames of the current process (function, offset, module, file, line). */
tl_status platform_symbolize(platform_stacks *ps, tl_frame *frames, size_t n, tl_error *err);

/* The kernel stack of a thread (where a thread in D sleeps), innermost first: *out is
 * allocated (kernel_frames_free), NULL when empty. TL_EPERM unless root. */
tl_status platform_kernel_stack(int pid, int tid, tl_kernel_frame **out, size_t *n, tl_error *err);

/* Start time (ms since boot) of a thread, to tell a reused TID from the thread listed. */
tl_status platform_thread_start_ms(int pid, int tid, uint64_t *ms);

/* ---- waits: what a blocked thread waits on; reads /proc and memory, never stops anything --- */

/* The blocking call a thread is in, decoded from tl_syscall (name and arguments): the
 * kernel-ABI knowledge (which argument is the fd, futex op numbers) stays in the backend. */
typedef enum platform_call_kind {
    PLATFORM_CALL_NONE = 0,   /* not in a system call */
    PLATFORM_CALL_FUTEX,      /* addr, futex_* */
    PLATFORM_CALL_FD,         /* read/write/recv/send/accept/connect/... on fd */
    PLATFORM_CALL_POLL,       /* poll/ppoll: `count` struct pollfd at addr */
    PLATFORM_CALL_SELECT,     /* select/pselect6: `count` = nfds */
    PLATFORM_CALL_EPOLL,      /* epoll_wait/epoll_pwait/epoll_pwait2 on epoll fd `fd` */
    PLATFORM_CALL_SLEEP,      /* nanosleep/clock_nanosleep */
    PLATFORM_CALL_SIGNAL,     /* pause/rt_sigsuspend/rt_sigtimedwait: waits for a signal */
    PLATFORM_CALL_CHILD,      /* wait4/waitid: pid > 0 that child, -1 any child, 0 a group */
    PLATFORM_CALL_OTHER,      /* a call we name (tl_syscall.name) but do not analyse */
} platform_call_kind;

typedef enum platform_futex_op {
    PLATFORM_FUTEX_WAIT = 0,
    PLATFORM_FUTEX_WAIT_BITSET,
    PLATFORM_FUTEX_LOCK_PI,       /* LOCK_PI, LOCK_PI2: the owner TID is in the futex word */
    PLATFORM_FUTEX_WAIT_REQUEUE_PI,
    PLATFORM_FUTEX_OTHER,
} platform_futex_op;

typedef enum platform_fd_dir {
    PLATFORM_DIR_UNKNOWN = 0,
    PLATFORM_DIR_IN,          /* waits for data to read (read, recv, accept) */
    PLATFORM_DIR_OUT,         /* waits for room to write (write, send) */
} platform_fd_dir;

typedef struct platform_call {
    platform_call_kind kind;
    const char *name;         /* the call waited in ("poll" for a restart_syscall continuing a
                               * poll), a static string; NULL: the thread's own syscall name */
    bool timed;               /* it ends by itself: a timeout was given (restart_syscall: always) */
    int fd;                   /* FD, EPOLL; -1 otherwise */
    platform_fd_dir dir;      /* FD: which way the call waits */
    int pid;                  /* CHILD */
    uint64_t addr;            /* FUTEX: the futex word; POLL: the pollfd array */
    uint64_t count;           /* POLL: entries; SELECT: nfds */
    platform_futex_op futex_op;
    bool futex_private;
    bool futex_realtime;      /* timed against CLOCK_REALTIME (else CLOCK_MONOTONIC) */
    uint32_t futex_val;       /* the value the waiter expects in the word */
    uint32_t futex_bitset;    /* WAIT_BITSET */
} platform_call;

/* Decodes sc (valid, not running, in a call). Never fails: unknown calls are OTHER. wchan (may
 * be NULL) tells which call a restart_syscall continues. */
void platform_decode_call(const tl_syscall *sc, const char *wchan, platform_call *out);

/* The owner TID kept in a PI (or robust) futex word, 0 when none. */
int platform_futex_word_owner(uint32_t word);

/* What a file descriptor is, from readlink /proc/PID/fd/N. */
typedef enum platform_fd_kind {
    PLATFORM_FD_UNKNOWN = 0, PLATFORM_FD_PIPE, PLATFORM_FD_SOCKET, PLATFORM_FD_FILE,
    PLATFORM_FD_ANON,         /* anon_inode:[eventfd], [eventpoll], ... */
} platform_fd_kind;

typedef struct platform_fd_info {
    platform_fd_kind kind;
    uint64_t inode;           /* PIPE, SOCKET */
    char target[512];         /* the link text as the kernel wrote it (a path the target chose) */
} platform_fd_info;

/* /proc/PID/task and /proc/PID/fd of one process, opened once for the many per-thread reads
 * of the wait analysis (shorter path walks). A directory that cannot be opened is -1 and the
 * reads through it fall back to full paths. */
typedef struct platform_proc_dirs {
    int pid;
    int task_dir, fd_dir;
} platform_proc_dirs;

void platform_proc_dirs_open(platform_proc_dirs *d, int pid);
void platform_proc_dirs_close(platform_proc_dirs *d);

/* Reads the current system call of thread tid again (nr and arguments; no name), to tell
 * whether it moved on. TL_ENOENT when it exited. */
tl_status platform_reread_syscall(const platform_proc_dirs *d, int tid, tl_syscall *out);

/* Thread tid's fd `fd`: a thread made without CLONE_FILES has an fd table of its own, so fds
 * are resolved through /proc/PID/task/TID/fd. TL_ENOENT when the fd (or thread) is gone,
 * TL_EPERM when not readable. */
tl_status platform_fd_describe(const platform_proc_dirs *d, int tid, int fd, platform_fd_info *out);

/* Access mode of thread tid's open fd: the mode bits of the /proc/PID/task/TID/fd/N link
 * (fdinfo flags as the fallback). */
tl_status platform_fd_access(int pid, int tid, int fd, bool *reads, bool *writes);

/* Every process of the system (the PIDs of /proc as we see it); *out is malloc'd. The wait
 * analysis asks for it only to confirm a deadlock edge through a pipe or socket (does a
 * process outside the dump hold the other end?). */
tl_status platform_list_pids(int **out, size_t *n, tl_error *err);

/* The pipe and socket fds of pid (at most max entries of fd directories looked at; *truncated
 * when there were more): the leader's table, and the table of every thread that has one of its
 * own (kcmp KCMP_FILES). *out is malloc'd. */
typedef struct platform_ipc_fd {
    int pid, fd;
    int tid;                  /* the thread whose fd table holds it: pid for the shared table */
    platform_fd_kind kind;    /* PIPE or SOCKET */
    uint64_t inode;
} platform_ipc_fd;
tl_status platform_list_ipc_fds(int pid, size_t max, platform_ipc_fd **out, size_t *n, bool *truncated,
                                tl_error *err);

/* The inode of the socket connected to unix socket `inode` (sock_diag). TL_ENOENT when it
 * has none (listening, unconnected) or it cannot be known from here. */
tl_status platform_unix_peer(uint64_t inode, uint64_t *peer);

/* "tcp 127.0.0.1:8080 -> 127.0.0.1:41234 ESTABLISHED", "unix /run/x.sock", ... for the socket
 * with that inode, looked up in thread tid's network namespace (/proc/PID/task/TID/net/...).
 * TL_ENOENT: not found in the tables read. */
tl_status platform_socket_describe(int pid, int tid, uint64_t inode, char *buf, size_t cap);

/* The fds an epoll instance of thread tid watches (at most max), from
 * /proc/PID/task/TID/fdinfo/EPFD. */
tl_status platform_epoll_fds(int pid, int tid, int epfd, int *fds, size_t max, size_t *n);

/* ---- jvm: HotSpot dynamic attach (src/platform/linux/jvm_attach.c) ----------------------- */

/* What the backend learnt about a process before attaching to it. */
typedef struct platform_jvm_target {
    bool is_jvm;              /* libjvm.so is mapped: a JVM */
    bool openj9;              /* ... but Eclipse OpenJ9's (libj9vm*.so): not HotSpot's attach */
    int pid;                  /* as we see it */
    int nspid;                /* its PID in its own namespace (names the attach files) */
    unsigned euid;            /* its effective uid (the attach socket's expected owner) */
    bool catches_sigquit;     /* SigCgt has SIGQUIT: the trigger signal will not kill it */
    int attach_enabled;       /* from its hsperfdata: 1 yes, 0 no (-XX:+DisableAttachMechanism),
                               * -1 unknown (no perf data) */
} platform_jvm_target;

/* Looks at pid without touching it (maps, status, perf data). TL_OK with is_jvm false for
 * other processes; TL_ENOENT when gone, TL_EPERM when its maps are not readable. */
tl_status platform_jvm_probe(int pid, platform_jvm_target *out, tl_error *err);

/* For a JVM in another PID namespace (nspid != pid): the TID each thread has in the JVM's
 * namespace (innermost NSpid of /proc/PID/task/TID/status), which its thread dump calls nid.
 * nstids[i] is 0 when thread tids[i] could not be read (it exited). */
void platform_jvm_thread_nstids(int pid, const int *tids, size_t n, int *nstids);

/* Makes sure the JVM's attach socket is up: when absent, creates the .attach_pid<nspid>
 * trigger file (in its cwd, else its /tmp, with the JVM's own fsuid/fsgid/groups, relative to
 * one directory fd), sends SIGQUIT (only when it catches it), waits up to timeout_ms for the
 * socket and removes the trigger file through the same directory fd. *started is set when we started
 * it. TL_EPERM: socket of another owner or not allowed; TL_EIO: timeout. */
tl_status platform_jvm_start_listener(const platform_jvm_target *t, int timeout_ms, bool *started,
                                      tl_error *err);

/* One attach request, protocol version 1: "1", cmd and three arguments, each NUL-terminated,
 * over the socket (owner checked, no symbolic link followed). *reply (malloc'd, NUL-terminated,
 * *len bytes without the NUL) is the JVM's whole answer: result code line, then text. At most
 * max_bytes are kept (TL_PARTIAL beyond). timeout_ms bounds the whole request: connect, send
 * and receive together (a JVM dripping its answer a byte at a time is given up at the deadline). */
tl_status platform_jvm_request(const platform_jvm_target *t, const char *cmd, const char *const args[3],
                               int timeout_ms, size_t max_bytes, char **reply, size_t *len, tl_error *err);

#endif
