/* Native stacks on systems threadlens does not support yet: "not supported" everywhere. */
#include <stdlib.h>

#include "platform/platform.h"

#define STACKS_NOT_SUPPORTED(err) \
    tl_error_set((err), TL_EUNSUPPORTED, "native stacks are not supported on this system yet; use --no-stacks")

struct platform_stacks {
    int unused;
};

tl_status platform_stacks_open(platform_stacks **out, tl_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? TL_OK : tl_error_set(err, TL_ENOMEM, "out of memory opening the stack capture");
}

void platform_stacks_close(platform_stacks *ps)
{
    free(ps);
}

tl_status platform_stacks_begin(platform_stacks *ps, int pid, size_t max_stack_bytes, tl_error *err)
{
    (void)ps, (void)pid, (void)max_stack_bytes;
    return STACKS_NOT_SUPPORTED(err);
}

void platform_capture_release(platform_stacks *ps)
{
    (void)ps;
}

void platform_capture_listed(platform_stacks *ps, const tl_thread *t)
{
    (void)ps, (void)t;
}

tl_status platform_capture_thread(platform_stacks *ps, int tid, int next_tid, platform_capture_info *info,
                                  tl_error *err)
{
    (void)next_tid;
    (void)ps, (void)tid, (void)info;
    return STACKS_NOT_SUPPORTED(err);
}

void platform_stacks_zero_stop(platform_stacks *ps, bool allowed, size_t max_frames)
{
    (void)ps, (void)allowed, (void)max_frames;
}

tl_status platform_capture_process_stop(platform_stacks *ps, const int *tids, size_t n, tl_error *err)
{
    (void)ps, (void)tids, (void)n;
    return STACKS_NOT_SUPPORTED(err);
}

void platform_capture_process_resume(platform_stacks *ps, uint64_t *stall_ns, size_t n)
{
    (void)ps;
    for (size_t i = 0; stall_ns && i < n; i++)
        stall_ns[i] = 0;
}

tl_status platform_unwind(platform_stacks *ps, tl_frame *frames, size_t max, size_t *n, bool *truncated,
                          tl_error *err)
{
    (void)ps, (void)frames, (void)max;
    *n = 0;
    *truncated = false;
    return STACKS_NOT_SUPPORTED(err);
}

const char *platform_unwind_warning(const platform_stacks *ps)
{
    (void)ps;
    return NULL;
}

size_t platform_stacks_skipped(const platform_stacks *ps, tl_mem_range *out, size_t max)
{
    (void)ps, (void)out, (void)max;
    return 0;
}

const char *platform_symbols_refused(const platform_stacks *ps)
{
    (void)ps;
    return NULL;
}

const char *platform_perf_map_refused(const platform_stacks *ps)
{
    (void)ps;
    return NULL;
}

bool platform_debug_package(const char *path, char *pkg, size_t cap)
{
    (void)path, (void)pkg, (void)cap;
    return false;
}

void platform_symbolize_expect(platform_stacks *ps, const tl_frame *frames, size_t n)
{
    (void)ps, (void)frames, (void)n;
}

tl_status platform_symbolize(platform_stacks *ps, tl_frame *frames, size_t n, tl_error *err)
{
    (void)ps, (void)frames, (void)n;
    return STACKS_NOT_SUPPORTED(err);
}

tl_status platform_thread_start_ms(int pid, int tid, uint64_t *ms)
{
    (void)pid, (void)tid;
    *ms = 0;
    return TL_EUNSUPPORTED;
}

tl_status platform_kernel_stack(int pid, int tid, tl_kernel_frame **out, size_t *n, tl_error *err)
{
    (void)pid, (void)tid;
    *out = NULL;
    *n = 0;
    return tl_error_set(err, TL_EUNSUPPORTED, "kernel stacks are not supported on this system");
}
