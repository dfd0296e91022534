/* /proc/PID/status, as the kernel or a hostile name could shape it. */
#include "fuzz_util.h"
#include "platform/linux/proc_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    proc_status_fields f;
    proc_parse_status(text, &f);
    free(text);
    return 0;
}
