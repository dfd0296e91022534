/* Target for the shared-versus-private tests: three named threads blocked in read() on a pipe
 * (so /proc shows their SP), a 64 MiB heap block touched page by page, a 1 MiB mapped file,
 * known open fds, a SIGUSR1 handler and SIGPIPE ignored. Prints what it set up, then "ready".
 *   heap ADDR BYTES        the malloc'd block
 *   file ADDR BYTES PATH   the mapped file (unlinked once mapped: shows as "PATH (deleted)")
 *   thread NAME TID        one line per worker */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define HEAP_BYTES (64u * 1024 * 1024)
#define FILE_BYTES (1024u * 1024)
#define NWORKERS 3

static int block_pipe[2];
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t started;

static void on_usr1(int sig)
{
    (void)sig;
}

static void *worker(void *arg)
{
    char name[16];
    snprintf(name, sizeof name, "sh-worker-%d", (int)(long)arg);
    pthread_setname_np(pthread_self(), name);
    pthread_mutex_lock(&print_lock);
    printf("thread %s %ld\n", name, (long)syscall(SYS_gettid));
    pthread_mutex_unlock(&print_lock);
    pthread_barrier_wait(&started);
    char c;
    while (read(block_pipe[0], &c, 1) < 0)
        ;
    return NULL;
}

static void setup_heap(void)
{
    char *heap = malloc(HEAP_BYTES);
    if (!heap)
        exit(2);
    memset(heap, 0x5a, HEAP_BYTES);
    printf("heap %p %u\n", (void *)heap, HEAP_BYTES);
}

static void setup_file(void)
{
    char path[] = "/tmp/tl_shared_target_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || ftruncate(fd, FILE_BYTES) != 0)
        exit(2);
    void *p = mmap(NULL, FILE_BYTES, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        exit(2);
    unlink(path);
    close(fd);
    printf("file %p %u %s\n", p, FILE_BYTES, path);
}

static void setup_signals_and_fds(void)
{
    signal(SIGUSR1, on_usr1);
    signal(SIGPIPE, SIG_IGN);
    if (pipe(block_pipe) != 0 || open("/dev/null", O_RDONLY) < 0)
        exit(2);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    setup_heap();
    setup_file();
    setup_signals_and_fds();
    pthread_barrier_init(&started, NULL, NWORKERS + 1);
    pthread_t t[NWORKERS];
    for (long i = 0; i < NWORKERS; i++)
        if (pthread_create(&t[i], NULL, worker, (void *)(i + 1)) != 0)
            return 2;
    pthread_barrier_wait(&started);
    printf("ready\n");
    for (;;)
        pause();
}
