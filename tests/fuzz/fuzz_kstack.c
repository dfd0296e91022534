/* /proc/PID/task/TID/stack text (kstack_parse): never more than 64 frames, names bounded and
 * printable. */
#include "fuzz_util.h"
#include "platform/linux/kstack_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    tl_kernel_frame *f;
    size_t n;
    if (kstack_parse(text, &f, &n)) {
        if (n > KSTACK_MAX_FRAMES)
            abort();
        for (size_t i = 0; i < n; i++)
            for (const char *c = f[i].function; *c; c++)
                if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f)
                    abort();
        kernel_frames_free(f, n);
    }
    free(text);
    return 0;
}
