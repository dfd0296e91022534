/* Command lines (written by the target) and pid lists (children files). */
#include "fuzz_util.h"
#include "platform/linux/proc_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *joined = proc_join_cmdline((const char *)data, size);
    free(joined);
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    int *pids = NULL;
    size_t n = 0;
    proc_parse_pid_list(text, &pids, &n);
    free(pids);
    free(text);
    return 0;
}
