/* Many threads blocked in ways the wait analysis must look into (for its benchmark):
 * HOLDERS threads each hold a mutex and sleep; half of the rest wait on those mutexes; the other
 * half each read their own pipe, whose write ends only a single-threaded child process holds.
 * Usage: waits_crowd [NTHREADS] (default 1000). Prints "threads=<n> child=<pid>", then "ready"
 * once every thread is blocked. */
#include <stdatomic.h>

#include "waits_target.h"

#define HOLDERS 20
#define MAX_THREADS 20000
#define STACK_BYTES (64 * 1024)

typedef struct crowd_thread {
    int tid;
    int fd;                  /* pipe read end, or -1 for a mutex waiter */
    pthread_mutex_t *m;
} crowd_thread;

static pthread_mutex_t mutexes[HOLDERS];
static crowd_thread threads[MAX_THREADS];
static atomic_int started;

static void *holder(void *arg)
{
    crowd_thread *t = arg;
    pthread_mutex_lock(t->m);
    t->tid = waits_gettid();
    atomic_fetch_add(&started, 1);
    target_wait_forever();
    return NULL;
}

static void *waiter(void *arg)
{
    crowd_thread *t = arg;
    t->tid = waits_gettid();
    atomic_fetch_add(&started, 1);
    if (t->fd >= 0) {
        char c;
        (void)!read(t->fd, &c, 1);
    } else {
        pthread_mutex_lock(t->m);
    }
    target_wait_forever();
    return NULL;
}

static void spawn(void *(*fn)(void *), crowd_thread *t)
{
    pthread_attr_t a;
    pthread_t id;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, STACK_BYTES);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&id, &a, fn, t);
    if (rc != 0)
        target_die("pthread_create", rc);
    pthread_attr_destroy(&a);
}

/* Makes npipes pipes (read ends into threads[HOLDERS + i].fd), forks the child that keeps the
 * write ends. Returns the child's pid. */
static pid_t make_pipes(int first, int npipes, int *write_ends)
{
    for (int i = 0; i < npipes; i++) {
        int p[2];
        if (pipe(p) != 0)
            target_die("pipe (raise ulimit -n?)", errno);
        threads[first + i].fd = p[0];
        write_ends[i] = p[1];
    }
    pid_t parent = getpid(), child = fork();
    if (child < 0)
        target_die("fork", errno);
    if (child == 0) {
        target_follow_parent(parent);
        for (int i = 0; i < npipes; i++)
            close(threads[first + i].fd);
        target_wait_forever();
    }
    for (int i = 0; i < npipes; i++)
        close(write_ends[i]);
    return child;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    if (n < 2 * HOLDERS || n > MAX_THREADS)
        target_die("thread count out of range (40..20000)", EINVAL);
    int npipes = (n - HOLDERS) / 2, *write_ends = calloc((size_t)npipes, sizeof *write_ends);
    if (!write_ends)
        target_die("calloc", ENOMEM);
    for (int i = 0; i < n; i++)
        threads[i] = (crowd_thread){.fd = -1, .m = &mutexes[i % HOLDERS]};
    pid_t child = make_pipes(HOLDERS, npipes, write_ends);
    for (int i = 0; i < HOLDERS; i++) {
        pthread_mutex_init(&mutexes[i], NULL);
        spawn(holder, &threads[i]);
    }
    while (atomic_load(&started) < HOLDERS)
        usleep(1000);
    for (int i = HOLDERS; i < n; i++)
        spawn(waiter, &threads[i]);
    while (atomic_load(&started) < n)
        usleep(1000);
    for (int i = 0; i < n; i++)
        waits_until_blocked(threads[i].tid, WAITS_ANY_ARG);
    printf("threads=%d child=%d\n", n, (int)child);
    target_ready();
    target_wait_forever();
}
