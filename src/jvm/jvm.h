/* The sampler's JVM stage: for each process that is a HotSpot JVM, ask the JVM itself (attach
 * channel) for its thread dump and shared areas, and merge them into the snapshot. */
#ifndef THREADLENS_JVM_JVM_H
#define THREADLENS_JVM_JVM_H

#include "java_dump.h"
#include "threadlens/error.h"
#include "threadlens/model.h"

#define JVM_ATTACH_TIMEOUT_MS 5000        /* waiting for the attach listener to start */
#define JVM_REQUEST_TIMEOUT_MS 10000      /* each read/write of one request */
#define JVM_MAX_REPLY_BYTES (64u << 20)   /* the largest answer we keep */

/* Attaches to every JVM of the snapshot (never fails the take: a JVM we cannot reach keeps its
 * native view, with a one-line note saying why). Runs after the counters and waits. */
tl_status jvm_observe(tl_snapshot *snap, tl_error *err);

/* Moves the parsed Java threads onto p's native threads (nid == TID); the rest go to
 * p->jvm->unjoined. Empties d's thread list. false when out of memory. */
bool jvm_merge_threads(tl_process *p, java_dump *d);

/* Adds the Java-level deadlocks the JVMs reported to snap->deadlocks (as cycles of TIDs,
 * marking their threads). Call after analysis_find_deadlocks, which resets the marks. */
void jvm_report_deadlocks(tl_snapshot *snap);

#endif
