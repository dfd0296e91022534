/* Pure parsers of what a HotSpot JVM answers through its attach channel: the thread dump
 * (JDK 17 shape with nid=0x..., JDK 19+ shape with [tid] and a decimal nid) and the jcmd
 * texts of GC.heap_info, VM.metaspace and Compiler.codecache. No I/O: unit-tested on saved
 * answers in tests/data/. Every loop is bounded by the input's length and by the limits below. */
#ifndef THREADLENS_JVM_JAVA_DUMP_H
#define THREADLENS_JVM_JAVA_DUMP_H

#include <stddef.h>

#include "threadlens/error.h"
#include "threadlens/java.h"

#define JAVA_MAX_THREADS 65536        /* Java threads kept from one dump */
#define JAVA_MAX_FRAMES 4096          /* Java frames kept per thread */
#define JAVA_MAX_LOCKS 256            /* lock lines kept per frame */
#define JAVA_MAX_OWNED 4096           /* ownable synchronizers kept per thread */
#define JAVA_MAX_DEADLOCKS 1024       /* deadlocks kept from one dump */
#define JAVA_MAX_DEADLOCK_EDGES 4096  /* threads in one reported deadlock */
#define JVM_MAX_AREAS 64              /* shared areas kept per JVM */

typedef struct java_dump {
    char *vm_banner;
    tl_java_thread *threads;
    size_t nthreads;
    tl_java_deadlock *deadlocks;
    size_t ndeadlocks;
    size_t dropped;                   /* threads/frames/locks over the limits */
} java_dump;

/* Parses a thread dump (len bytes, need not be NUL-terminated). TL_EINVAL when it does not
 * look like a HotSpot thread dump; *out is then empty. */
tl_status java_dump_parse(const char *text, size_t len, java_dump *out, tl_error *err);
void java_dump_clear(java_dump *d);

/* Splits an attach answer "CODE\nTEXT": *code is the JVM's result code (0 = done), *body
 * points into text. false when the first line is not a number. */
bool java_reply_split(const char *text, size_t len, int *code, const char **body, size_t *body_len);

/* The JVM's areas from jcmd answers, appended to *areas (realloc'd). Each returns the number
 * of areas added, -1 when out of memory. */
int jvm_areas_parse_heap_info(const char *text, size_t len, tl_jvm_area **areas, size_t *n);
int jvm_areas_parse_metaspace(const char *text, size_t len, tl_jvm_area **areas, size_t *n);
int jvm_areas_parse_codecache(const char *text, size_t len, tl_jvm_area **areas, size_t *n);

/* Whether a thread of this name and shape is the JVM's own (GC, compiler, VM Thread, ...). */
bool java_thread_is_internal(const tl_java_thread *t);

#endif
