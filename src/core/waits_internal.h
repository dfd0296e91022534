/* Shared by the wait-analysis files (waits.c, waits_futex.c, waits_fd.c). Internal to the core. */
#ifndef THREADLENS_WAITS_INTERNAL_H
#define THREADLENS_WAITS_INTERNAL_H

#include <stdbool.h>

#include "platform/platform.h"
#include "threadlens/error.h"
#include "threadlens/model.h"

#define WAITS_MAX_IPC_FDS 65536    /* fds scanned per process when looking for a pipe's other end */
#define WAITS_MAX_POLL_FDS 64      /* pollfd entries read from a poll/ppoll array */
#define WAITS_MAX_LISTED_FDS 4     /* fds named in the description of a multi-fd wait */

/* Which holders of a pipe's or socket's other end count: a pipe reader waits for its writers,
 * a writer for its readers; a socket waits for whoever holds its peer. */
typedef enum end_want { WANT_WRITER, WANT_READER, WANT_ANY } end_want;

/* A pipe or socket wait that names one holder thread: a deadlock edge unless someone else
 * holds the other end too (waits_confirm looks outside the dump when it closes a cycle). */
typedef struct waits_peer_edge {
    tl_thread *thread;
    platform_fd_kind kind;
    uint64_t inode;                  /* of the other end */
    end_want want;
} waits_peer_edge;

/* State of one waits_observe pass over a snapshot. */
typedef struct waits_ctx {
    tl_snapshot *snap;
    const tl_process *proc;          /* the process of the thread being looked at */
    platform_proc_dirs dirs;         /* its /proc directories, open while its threads are seen */
    tl_thread *thread;
    bool ipc_built;                  /* the index below is built on the first pipe or socket wait */
    platform_ipc_fd *ipc;            /* pipe and socket fds of every process of the snapshot, by
                                      * (kind, inode) */
    size_t nipc;
    waits_peer_edge *edges;          /* fd waits naming one holder thread, for waits_confirm */
    size_t nedges, edges_cap;
    const struct waits_source *src;  /* NULL: the live processes; else a core (waits.h) */
} waits_ctx;

/* Sets w's kind and a description made from fmt; clears address and owner, keeps fd,
 * syscall_name and object. false when out of memory. */
bool waits_set(tl_wait *w, tl_wait_kind kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The thread tid when it is a live thread of p (in the snapshot), else NULL. */
const tl_thread *waits_thread_of(const tl_process *p, int tid);

/* " held by tid N \"name\"" (or "itself": a self-deadlock unless timed) for owner t, into buf. */
void waits_holder_text(const tl_thread *waiter, const tl_thread *owner, bool timed, char *buf, size_t cap);

/* Each fills ctx->thread->wait from its call; false only when out of memory. */
bool waits_futex(waits_ctx *ctx, const platform_call *call);
bool waits_fd(waits_ctx *ctx, const platform_call *call);
bool waits_poll(waits_ctx *ctx, const platform_call *call);
bool waits_epoll(waits_ctx *ctx, const platform_call *call);

/* Does the pipe or socket fd e count as a holder of the end wanted? */
bool waits_holder_counts(const platform_ipc_fd *e, end_want want);

/* Remembers an fd wait of ctx->thread that names one holder thread; false when out of memory. */
bool waits_note_peer_edge(waits_ctx *ctx, platform_fd_kind kind, uint64_t inode, end_want want);

/* After every thread was looked at: the pipe and socket edges that close a cycle are confirmed
 * against every process of the system (one outside the dump may hold the other end too: then
 * the wait can end by another holder). false only when out of memory. */
bool waits_confirm(waits_ctx *ctx);

void waits_ctx_free(waits_ctx *ctx);

#endif
