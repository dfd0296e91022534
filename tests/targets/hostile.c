/* A target that tries to hurt its inspector: thread names with control bytes and invalid UTF-8,
 * a command line of megabytes (re-exec with a huge argument), tens of thousands of mappings,
 * and a thread whose stack holds a frame-pointer chain that loops onto itself.
 * Usage: hostile [--maps N] [--cmdline-mib N]; prints "ready" once set up. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

/* Builds a frame record whose saved frame pointer points at itself, puts it in rbp/x29, then
 * blocks: a frame-pointer or CFI walk from here must notice the loop and stop. */
static void *looping_stack(void *arg)
{
    (void)arg;
    volatile uintptr_t frame[2];
    frame[0] = (uintptr_t)&frame[0];     /* saved frame pointer -> itself */
    frame[1] = (uintptr_t)&looping_stack; /* "return address" */
#if defined(__x86_64__)
    __asm__ volatile("mov %0, %%rbp\n\t"
                     "1: mov $34, %%eax\n\t"   /* pause() */
                     "syscall\n\t"
                     "jmp 1b" : : "r"(&frame[0]) : "rax", "rcx", "r11", "memory");
#elif defined(__aarch64__)
    __asm__ volatile("mov x29, %0\n\t"
                     "1: mov x8, #73\n\t"      /* ppoll(NULL, 0, NULL, NULL): blocks forever */
                     "mov x0, #0\n\tmov x1, #0\n\tmov x2, #0\n\tmov x3, #0\n\t"
                     "svc #0\n\t"
                     "b 1b" : : "r"(&frame[0]) : "x0", "x1", "x2", "x3", "x8", "memory");
#elif defined(__s390x__)
    __asm__ volatile("lgr %%r11, %0\n\t"
                     "1: svc 29\n\t"          /* pause() */
                     "j 1b" : : "a"(&frame[0]) : "r2", "memory");
#elif defined(__powerpc64__)
    __asm__ volatile("mr 31, %0\n\t"
                     "1: li 0, 29\n\t"        /* pause() */
                     "sc\n\t"
                     "b 1b" : : "r"(&frame[0]) : "r0", "r3", "cr0", "memory");
#endif
    for (;;)
        pause();
    return NULL;
}

static void start_named(void *(*fn)(void *), const char *name)
{
    pthread_t t;
    if (pthread_create(&t, NULL, fn, NULL) != 0) {
        perror("pthread_create");
        exit(1);
    }
    pthread_setname_np(t, name);
}

/* Alternating protections keep the kernel from merging neighbouring mappings. */
static void make_mappings(long n)
{
    long page = sysconf(_SC_PAGESIZE);
    char *base = mmap(NULL, (size_t)(n * page), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    for (long i = 0; i < n; i += 2)
        mprotect(base + i * page, (size_t)page, PROT_READ | PROT_WRITE);
}

/* One argument may hold at most 128 KiB (MAX_ARG_STRLEN), and all of them a quarter of the
 * stack limit: raise the limit, then pass the megabytes as many 64 KiB arguments. */
#define CHUNK (64 * 1024)
static void reexec_with_huge_cmdline(int argc, char **argv, long mib)
{
    size_t chunks = ((size_t)mib << 20) / CHUNK;
    struct rlimit big = {.rlim_cur = 64 << 20, .rlim_max = RLIM_INFINITY};
    getrlimit(RLIMIT_STACK, &big);
    if (big.rlim_max == RLIM_INFINITY || big.rlim_max >= (64 << 20))
        big.rlim_cur = 64 << 20;
    setrlimit(RLIMIT_STACK, &big);
    char *chunk = malloc(CHUNK);
    char **args = calloc((size_t)argc + chunks + 2, sizeof *args);
    if (!chunk || !args)
        exit(1);
    for (size_t i = 0; i < CHUNK - 1; i++)
        chunk[i] = (char)(i % 64 == 63 ? '\x1b' : 'A' + (int)(i % 26));
    chunk[CHUNK - 1] = '\0';
    int n = 0;
    for (int i = 0; i < argc; i++)
        args[n++] = argv[i];
    args[n++] = "--reexeced";
    for (size_t i = 0; i < chunks; i++)
        args[n++] = chunk;
    execv("/proc/self/exe", args);
    perror("execv");
    exit(1);
}

int main(int argc, char **argv)
{
    long maps = 30000, mib = 2;
    int reexeced = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--maps") && i + 1 < argc)
            maps = atol(argv[++i]);
        else if (!strcmp(argv[i], "--cmdline-mib") && i + 1 < argc)
            mib = atol(argv[++i]);
        else if (!strcmp(argv[i], "--reexeced"))
            reexeced = 1;
    }
    if (!reexeced && mib > 0)
        reexec_with_huge_cmdline(argc, argv, mib);
    start_named(sleeper, "\x1b]0;pwned\x07");
    start_named(sleeper, "bad\xff\xfeutf8");
    start_named(sleeper, "\x1b[2J\x1b[H");
    start_named(sleeper, "\xe4\xb8\xad\xe6\x96\x87");
    start_named(looping_stack, "loop-stack");
    if (maps > 0)
        make_mappings(maps);
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
}
