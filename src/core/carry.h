/* What an incremental take (the live view's refreshes) reuses from the previous take.
 * A thread that has not run since then cannot have entered another system call or started to
 * wait on something else, so its system call, wait channel and wait are copied instead of read
 * and analysed again: with the live reader's kept files, a refresh of an idle thread reads
 * its stat, schedstat and children (one pread each) instead of six files by path. "Has not run": it was not running then and is not now, in
 * the same state, with the same context-switch counts (a thread that ran and stopped again
 * was switched out, which counts one) and the same start time (not a reused TID).
 * A wait that names a holder (a lock's owner, the process at a pipe's other end) is analysed
 * again on every take all the same (waits.c): the holder can change, exit or be renamed while
 * the waiter sleeps. Each take still re-reads one idle thread in CARRY_REFRESH_EVERY (by TID,
 * so the cost is spread evenly), for what else may change around a sleeper (a socket's state). */
#ifndef THREADLENS_CARRY_H
#define THREADLENS_CARRY_H

#include <stdbool.h>
#include <stddef.h>

#include "platform/platform.h"
#include "threadlens/error.h"
#include "threadlens/model.h"

#define CARRY_REFRESH_EVERY 10
#define CARRY_STOP_SWITCHES 2     /* context switches a ptrace stop of ours adds (measured) */

typedef struct carry carry;

/* refresh_every: a thread that has not run has its calls read again every this many takes
 * (0: CARRY_REFRESH_EVERY). analyse_only: that refresh copies its system call and wait channel
 * (a thread that did not run is still in the same call) and only analyses its wait again, for
 * what changed around it; no file is read (threadlens record). Without it the refresh reads
 * them too, so that the live view shows what a dump would (a call restarted after our stop). */
carry *carry_new(unsigned refresh_every, bool analyse_only);
void carry_free(carry *c);

/* When thread t of process pid (its counters just read) has not run since the recorded take
 * and is not due for its periodic refresh, copies the recorded syscall, wchan and wait into
 * it, sets t->calls_reused and returns true; due and analyse_only: copies the syscall and
 * wchan only and returns true (calls_reused false: its wait is analysed again). false: the
 * caller reads them afresh (also when memory ran out copying: t is then left as it was). */
bool carry_reuse(const carry *c, int pid, tl_thread *t);

/* For every thread of p (counters just read): reuses (carry_reuse) or reads its calls through
 * r; threads in fresh[] (the one the live view shows in detail) are always read. Threads that
 * exited meanwhile are dropped. TL_PARTIAL with a note-worthy err when some exited or their
 * calls were not readable; TL_ENOMEM. */
tl_status carry_fill_process(const carry *c, platform_reader *r, tl_process *p, const int *fresh,
                             size_t nfresh, tl_error *err);

/* Remembers the threads of s (after its wait analysis) for the next take, replacing what was
 * recorded. TL_ENOMEM leaves nothing recorded (the next take reads everything). */
tl_status carry_record(carry *c, const tl_snapshot *s, tl_error *err);

/* After the stack pass of the recorded take: the threads it stopped switched twice for it,
 * which alone does not mean they ran. Tells the reader r too (platform_note_stopped) of the
 * sleeping ones, so that its next read does not read their status again for it. */
void carry_mark_stopped(carry *c, platform_reader *r, const tl_snapshot *s);

#endif
