/* The backend for systems threadlens does not support yet: builds anywhere, answers
 * "not supported on this system" everywhere. It keeps the platform interface honest. */
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "platform/platform.h"

#define NOT_SUPPORTED(err) \
    tl_error_set((err), TL_EUNSUPPORTED, "threadlens is not supported on this system yet")

tl_status platform_reader_open(platform_reader **out, bool live, tl_error *err)
{
    (void)live;
    *out = NULL;
    return NOT_SUPPORTED(err);
}

void platform_reader_close(platform_reader *r)
{
    (void)r;
}

void platform_reader_sweep(platform_reader *r)
{
    (void)r;
}

void platform_reader_schedstat(platform_reader *r, bool on)
{
    (void)r, (void)on;
}

uint64_t platform_uptime_ms(void)
{
    return 0;
}

long platform_clock_ticks(void)
{
    return 100;
}

tl_status platform_list_children(platform_reader *r, int pid, int **out, size_t *n, tl_error *err)
{
    (void)r, (void)pid;
    *out = NULL;
    *n = 0;
    return NOT_SUPPORTED(err);
}

tl_status platform_read_process(platform_reader *r, tl_process *p, tl_error *err)
{
    (void)r, (void)p;
    return NOT_SUPPORTED(err);
}

tl_status platform_read_threads(platform_reader *r, tl_process *p, tl_error *err)
{
    (void)r, (void)p;
    return NOT_SUPPORTED(err);
}

tl_status platform_read_thread_calls(platform_reader *r, int pid, tl_thread *t)
{
    (void)r, (void)pid, (void)t;
    return TL_EUNSUPPORTED;
}

void platform_note_stopped(platform_reader *r, int pid, int tid, unsigned switches)
{
    (void)r, (void)pid, (void)tid, (void)switches;
}

void platform_reader_skip_quiet(platform_reader *r, bool on)
{
    (void)r, (void)on;
}

tl_status platform_calls_denied(int pid, tl_error *err)
{
    (void)pid;
    return NOT_SUPPORTED(err);
}

tl_status platform_read_syscall(int pid, int tid, tl_syscall *out)
{
    (void)pid, (void)tid, (void)out;
    return TL_EUNSUPPORTED;
}

ssize_t platform_read_memory(int pid, uint64_t addr, void *buf, size_t len)
{
    (void)pid, (void)addr, (void)buf, (void)len;
    errno = ENOSYS;
    return -1;
}
