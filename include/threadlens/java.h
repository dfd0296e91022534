/* The Java view of a HotSpot JVM: what its own thread dump says about each thread (joined to
 * the native thread by nid == TID) and the JVM's shared areas (heap, metaspace, code cache).
 * Filled by the sampler's JVM stage (src/jvm/); every string is owned by the snapshot and is
 * written by the target: escape it before it reaches a terminal. */
#ifndef THREADLENS_JAVA_H
#define THREADLENS_JAVA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A lock line under a Java frame ("- locked <0x...> (a java.lang.Object)"). */
typedef enum tl_java_lock_kind {
    TL_JLOCK_OTHER = 0,       /* a "- ..." line we keep as text only */
    TL_JLOCK_LOCKED,          /* - locked <addr> */
    TL_JLOCK_WAITING_TO_LOCK, /* - waiting to lock <addr>: blocked on a monitor */
    TL_JLOCK_WAITING_ON,      /* - waiting on <addr>: Object.wait() */
    TL_JLOCK_PARKING,         /* - parking to wait for <addr>: j.u.c lock or condition */
    TL_JLOCK_RELOCK,          /* - waiting to re-lock in wait() <addr> */
    TL_JLOCK_ELIMINATED,      /* - eliminated <owner is scalar replaced> */
} tl_java_lock_kind;

typedef struct tl_java_lock {
    tl_java_lock_kind kind;
    uint64_t address;         /* the object, 0 when the JVM gave none */
    char *class_name;         /* "java.lang.Object", NULL when absent */
    char *text;               /* the whole line without the leading "- " */
    int owner_tid;            /* waiting to lock: native TID of the thread whose frames say
                               * "- locked" on that object (not a waiter in Object.wait()); 0 unknown */
    char *owner_name;         /* that thread's Java name, NULL when unknown */
} tl_java_lock;

typedef struct tl_java_frame {
    char *method;             /* "java.lang.Thread.sleep" */
    char *location;           /* "java.base@17.0.15/Native Method", "Main.java:42" */
    tl_java_lock *locks;
    size_t nlocks;
} tl_java_frame;

typedef struct tl_java_thread {
    char *name;               /* the Java name, whole (the kernel keeps 15 bytes) */
    bool has_id;              /* "#N" present (JavaThreads; VM-internal threads have none) */
    int64_t id;               /* Java thread id */
    bool daemon;
    int prio;                 /* Java priority, 0 when absent */
    bool has_os_prio;
    int os_prio;
    uint64_t nid;             /* native id = kernel TID */
    char *state;              /* java.lang.Thread.State line, e.g. "TIMED_WAITING (sleeping)" */
    char *status;             /* the header's tail, e.g. "waiting on condition [0x...]" */
    bool internal;            /* a JVM-internal thread: GC, compiler, VM Thread, ... */
    double cpu_ms, elapsed_s; /* from the header, -1 when absent */
    tl_java_frame *frames;
    size_t nframes;
    bool frames_truncated;
    char **owned_syncs;       /* "Locked ownable synchronizers" (with -l), may be empty */
    size_t nowned_syncs;
} tl_java_thread;

/* One edge of a Java-level deadlock as the JVM reports it. */
typedef struct tl_java_deadlock_edge {
    char *waiter;             /* thread name */
    char *holder;             /* thread name */
    char *what;               /* "monitor 0x... (object 0x..., a java.lang.Object)" */
} tl_java_deadlock_edge;

typedef struct tl_java_deadlock {
    tl_java_deadlock_edge *edges;
    size_t nedges;
} tl_java_deadlock;

/* A shared JVM memory area in KiB; -1 fields are unknown. */
typedef struct tl_jvm_area {
    char *name;               /* "heap", "metaspace", "class space", "code cache", ... */
    int64_t used_kib, committed_kib, reserved_kib;
    char *detail;             /* the JVM's own words, one line, may be NULL */
} tl_jvm_area;

typedef struct tl_jvm {
    int nspid;                /* the JVM's PID in its own namespace */
    char *vm_banner;          /* "OpenJDK 64-Bit Server VM (17.0.15+6-... mixed mode, sharing)" */
    char *error;              /* why the Java view is missing or incomplete, NULL if fine */
    size_t njava_threads;     /* Java threads in the JVM's dump */
    size_t njoined;           /* of those, joined to a native thread of this snapshot */
    tl_java_thread *unjoined; /* threads without a native match (started after /proc was read) */
    size_t nunjoined;
    tl_java_deadlock *deadlocks;
    size_t ndeadlocks;
    tl_jvm_area *areas;
    size_t nareas;
} tl_jvm;

void java_lock_clear(tl_java_lock *l);
void java_frame_clear(tl_java_frame *f);
void java_thread_clear(tl_java_thread *t);
void java_deadlock_clear(tl_java_deadlock *d);
void jvm_area_clear(tl_jvm_area *a);
void jvm_clear(tl_jvm *j);
/* Frees a heap-allocated tl_java_thread / tl_jvm (NULL is fine). */
void java_thread_free(tl_java_thread *t);
void jvm_free(tl_jvm *j);

#endif
