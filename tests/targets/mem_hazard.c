/* Threads whose stack a reader must not, or cannot, follow (issue 12, items 3 and 11):
 *   mem_hazard uffd        "uffd-stack": its stack pointer is in a range registered with a
 *                          userfaultfd that is never served (a read there waits for ever);
 *                          "uffd-futex" (mode uffd-futex only): blocked in futex() on a word
 *                          in that range.
 *   mem_hazard file PATH   "file-stack": its stack pointer is in PATH mmapped, never touched
 *                          (a file on FUSE whose daemon the test stops)
 *   mem_hazard garbage     "ascii-stack": SP and FP in a buffer of text ("/x86_64-linux-gnu/");
 *                          "tiny-ret": in a buffer of 0x17 words; "wild-sp": SP unmapped.
 * Each such thread sits in a system call made straight from assembly (pause, or ppoll on
 * aarch64, which has no pause), so it never touches its stack. Every mode also has a normal "sleeper" thread.
 * Prints "range START END" for the registered or mapped range, then "ready". Exits 3 with
 * "skip: why" on stderr when the mode cannot be set up here. */
#include <stdbool.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "tl_target.h"

#define AREA (64 * 1024)

static void *hang_sp[8];
static pthread_barrier_t named;

/* Moves SP (and FP) to sp and blocks in the kernel for good, never touching memory. */
__attribute__((noinline, noreturn)) static void hang_on(void *sp)
{
#if defined(__x86_64__)
    __asm__ volatile("mov %0, %%rsp\n\tmov %0, %%rbp\n"
                     "1:\tmov $34, %%eax\n\tsyscall\n\tjmp 1b" /* pause() */
                     : : "r"(sp) : "memory");
#elif defined(__aarch64__)
    __asm__ volatile("mov sp, %0\n\tmov x29, %0\n"
                     "1:\tmov x0, #0\n\tmov x1, #0\n\tmov x2, #0\n\tmov x3, #0\n\tmov x4, #8\n"
                     "\tmov x8, #73\n\tsvc #0\n\tb 1b" /* ppoll(NULL, 0, NULL, NULL) */
                     : : "r"(sp) : "memory");
#elif defined(__s390x__)
    __asm__ volatile("lgr %%r15, %0\n\tlgr %%r11, %0\n"
                     "1:\tsvc 29\n\tj 1b" /* pause() */
                     : : "a"(sp) : "memory");
#elif defined(__powerpc64__)
    __asm__ volatile("mr 1, %0\n\tmr 31, %0\n"
                     "1:\tli 0, 29\n\tsc\n\tb 1b" /* pause() */
                     : : "r"(sp) : "r0", "memory");
#else
#error "mem_hazard: no assembly for this architecture"
#endif
    __builtin_unreachable();
}

typedef struct hazard { const char *name; int slot; } hazard;

static void *hazard_thread(void *arg)
{
    const hazard *h = arg;
    pthread_setname_np(pthread_self(), h->name);
    pthread_barrier_wait(&named);
    hang_on(hang_sp[h->slot]);
}

static void *sleeper(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "sleeper");
    pthread_barrier_wait(&named);
    target_wait_forever();
    return NULL;
}

static uint32_t *futex_word;

static void *futex_thread(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "uffd-futex");
    pthread_barrier_wait(&named);
    for (;;)   /* the kernel reads the word: a fault the handler never serves */
        syscall(SYS_futex, futex_word, 0 /* FUTEX_WAIT */, 0, NULL, NULL, 0);
    return NULL;
}

static void skip(const char *why, int err)
{
    fprintf(stderr, "skip: %s: %s\n", why, strerror(err));
    exit(3);
}

static char *uffd_area(void)
{
    int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
    if (uffd < 0)
        skip("userfaultfd (needs root or vm.unprivileged_userfaultfd=1)", errno);
    struct uffdio_api api = {.api = UFFD_API};
    if (ioctl(uffd, UFFDIO_API, &api) != 0)
        skip("UFFDIO_API", errno);
    char *area = mmap(NULL, AREA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED)
        target_die("mmap", errno);
    struct uffdio_register reg = {.range = {.start = (uintptr_t)area, .len = AREA},
                                  .mode = UFFDIO_REGISTER_MODE_MISSING};
    if (ioctl(uffd, UFFDIO_REGISTER, &reg) != 0)
        skip("UFFDIO_REGISTER", errno);
    return area;   /* uffd stays open and is never read: faults there wait for ever */
}

static void fill_words(uint64_t *buf, size_t n, uint64_t v)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = v;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        target_die("usage: mem_hazard uffd|uffd-futex|file PATH|garbage", EINVAL);
    static hazard hz[4];
    size_t nh = 0;
    bool with_futex = false;
    char *area = NULL;
    if (strcmp(argv[1], "uffd") == 0 || strcmp(argv[1], "uffd-futex") == 0) {
        area = uffd_area();
        with_futex = strcmp(argv[1], "uffd-futex") == 0;
        if (with_futex) {
            futex_word = (uint32_t *)(area + AREA / 4);
        } else {
            hang_sp[0] = area + AREA / 2;
            hz[nh++] = (hazard){"uffd-stack", 0};
        }
    } else if (strcmp(argv[1], "file") == 0 && argc > 2) {
        int fd = open(argv[2], O_RDWR | O_CLOEXEC);
        if (fd < 0)
            target_die(argv[2], errno);
        area = mmap(NULL, AREA, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (area == MAP_FAILED)
            target_die("mmap of the file", errno);
        close(fd);
        hang_sp[0] = area + AREA / 2;
        hz[nh++] = (hazard){"file-stack", 0};
    } else if (strcmp(argv[1], "garbage") == 0) {
        static uint64_t text[512], tiny[512];
        static const char words[] = "/x86_64-linux-gnu/";   /* read as a number: 0x3638782f... */
        for (size_t i = 0; i < sizeof text; i++)
            ((char *)text)[i] = words[i % (sizeof words - 1)];
        fill_words(tiny, 512, 0x17);
        hang_sp[0] = text + 256;
        hang_sp[1] = tiny + 256;
        hang_sp[2] = (void *)(uintptr_t)0x4141414141410000ULL;
        hz[nh++] = (hazard){"ascii-stack", 0};
        hz[nh++] = (hazard){"tiny-ret", 1};
        hz[nh++] = (hazard){"wild-sp", 2};
    } else {
        target_die(argv[1], EINVAL);
    }
    pthread_barrier_init(&named, NULL, (unsigned)(nh + 2 + with_futex));
    pthread_t t;
    for (size_t i = 0; i < nh; i++)
        if (pthread_create(&t, NULL, hazard_thread, &hz[i]) != 0)
            target_die("pthread_create", errno);
    if (pthread_create(&t, NULL, sleeper, NULL) != 0 ||
        (with_futex && pthread_create(&t, NULL, futex_thread, NULL) != 0))
        target_die("pthread_create", errno);
    pthread_barrier_wait(&named);
    if (area)
        printf("range 0x%lx 0x%lx\n", (unsigned long)(uintptr_t)area, (unsigned long)(uintptr_t)(area + AREA));
    usleep(100000);   /* the hazard threads reach their system call */
    target_ready();
    target_wait_forever();
}
