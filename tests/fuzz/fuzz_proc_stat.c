/* /proc/PID/stat, whose comm the target writes (')' and spaces included), and schedstat. */
#include "fuzz_util.h"
#include "platform/linux/proc_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    proc_stat_fields f;
    proc_parse_stat(text, &f);
    proc_schedstat_fields sf;
    proc_parse_schedstat(text, &sf);
    free(text);
    return 0;
}
