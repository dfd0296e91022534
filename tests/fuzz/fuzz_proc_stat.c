/* /proc/PID/stat, whose comm the target writes (')' and spaces included). */
#include "fuzz_util.h"
#include "platform/linux/proc_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    proc_stat_fields f;
    proc_parse_stat(text, &f);
    free(text);
    return 0;
}
