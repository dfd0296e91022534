/* The teaching workload behind `threadlens demo`: small pieces, one file each, so that the
 * call chains a dump shows are the ones written here. Internal to src/demo. */
#ifndef THREADLENS_DEMO_H
#define THREADLENS_DEMO_H

#include <pthread.h>
#include <stdbool.h>

/* Names the threads carry (pthread_setname_np); comm holds at most 15 bytes. */
#define DEMO_PROCESS_NAME "demo-workload"
#define DEMO_CHILD_NAME "demo-child"
#define DEMO_REQUEST_THREADS 2   /* "request-1", "request-2" in the parent */
#define DEMO_CHILD_THREADS 2     /* "child-worker-1", "child-worker-2" in the child */
#define DEMO_POOL_THREADS 8      /* "pool-1".."pool-8": one stack, one condition variable */

/* Everything a workload thread needs: it names itself, then meets the others at `started`. */
typedef struct demo_thread_arg {
    const char *name;
    pthread_barrier_t *started;
    int fd;                      /* the pipe end for "pipe-reader", else -1 */
    int number;                  /* the request number for the chain threads */
    long settled_nr;             /* the system call it blocks in once set up, -1: not checked */
    int tid;                     /* set by the thread before the barrier */
} demo_thread_arg;

/* The named call chain: demo_handle_request -> demo_parse -> demo_wait_for_io -> nanosleep.
 * Each in its own file and noinline, so every name stays a frame of its own. Never returns
 * while the workload runs; the result only defeats tail calls. */
int demo_handle_request(int request);
int demo_parse(int request);
int demo_wait_for_io(int request);

/* Thread bodies (arg: demo_thread_arg *). */
void *demo_request_thread(void *arg);
void *demo_producer_thread(void *arg);
void *demo_consumer_thread(void *arg);
void *demo_cruncher_thread(void *arg);
void *demo_pipe_reader_thread(void *arg);
void *demo_pool_thread(void *arg);   /* demo_pool.c */
/* Returns once n pool threads wait for a job (bounded: 2 s at most). */
void demo_pool_wait_ready(int n);

/* Names the calling thread and waits at the barrier; every thread body starts with it. */
void demo_thread_begin(demo_thread_arg *a);

/* Waits (bounded) until each of the n threads with a settled_nr is blocked in that system
 * call, so that a dump taken right after "ready" finds them where they stay. */
void demo_wait_settled(const demo_thread_arg *args, size_t n);

/* Starts one thread running fn with a; false (errno-style message on stderr) on failure. */
bool demo_spawn(void *(*fn)(void *), demo_thread_arg *a);

/* Forks the child process (it dies with its parent; it closes inherited_fd, e.g. the ready
 * fd of its parent). Call before any thread is started. Returns its PID, or -1 (with a message
 * on stderr) when it could not be started or did not say it was ready. */
int demo_child_start(int inherited_fd);

#endif
