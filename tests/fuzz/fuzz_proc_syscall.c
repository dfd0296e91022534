/* /proc/PID/task/TID/syscall. */
#include "fuzz_util.h"
#include "platform/linux/proc_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    tl_syscall sc;
    proc_parse_syscall(text, &sc);
    free(text);
    return 0;
}
