/* The sampler's JVM stage: for each process that is a HotSpot JVM, ask the JVM itself (attach
 * channel) for its thread dump and shared areas, and merge them into the snapshot. */
#ifndef THREADLENS_JVM_JVM_H
#define THREADLENS_JVM_JVM_H

#include "java_dump.h"
#include "platform/platform.h"
#include "threadlens/error.h"
#include "threadlens/model.h"

#define JVM_ATTACH_TIMEOUT_MS 5000        /* waiting for the attach listener to start */
#define JVM_DEADLINE_MS 5000              /* the whole conversation with one JVM: every request */
#define JVM_MAX_REPLY_BYTES (64u << 20)   /* the largest answer we accept */

/* Attaches to every JVM of the snapshot (never fails the take: a JVM we cannot reach keeps its
 * native view, with a one-line note saying why). Runs after the counters and waits; threads
 * the JVM started meanwhile for our attach (its Attach Listener) are read with reader and
 * added to their process. */
tl_status jvm_observe(tl_snapshot *snap, platform_reader *reader, tl_error *err);

/* Moves the parsed Java threads onto p's native threads (nid == TID, or == keys[i] for
 * p->threads[i] when keys is given: the TIDs in the JVM's PID namespace); the rest go to
 * p->jvm->unjoined. Empties d's thread list. false when out of memory. */
bool jvm_merge_threads(tl_process *p, java_dump *d, const int *keys);

/* For each "waiting to lock" line of p's joined Java threads, the TID of the thread holding
 * that monitor (its "- locked" line), in tl_java_lock.owner_tid. Quadratic in the number of
 * threads of p, only over the locks of blocked threads' top frames. */
void jvm_find_monitor_owners(tl_process *p);

/* Adds the Java-level deadlocks the JVMs reported to snap->deadlocks (as cycles of TIDs,
 * marking their threads). Call after analysis_find_deadlocks, which resets the marks. */
void jvm_report_deadlocks(tl_snapshot *snap);

#endif
