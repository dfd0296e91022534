/* Thread names from the target compressed for a group's line (groups_names_compress): one name
 * per input line, the first byte picks the budget. The result must be a string that holds
 * only bytes of the names and the separators, and stays bounded by the budget plus one item. */
#include "fuzz_util.h"
#include "threadlens/groups.h"

#define MAX_NAMES 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t budget = data[0];
    char *text = fuzz_text(data + 1, size - 1);
    if (!text)
        return 0;
    const char *names[MAX_NAMES];
    size_t n = 0, longest = 0;
    for (char *p = text, *line; n < MAX_NAMES && (line = strsep(&p, "\n"));) {
        names[n++] = line;
        if (strlen(line) > longest)
            longest = strlen(line);
    }
    for (int quote = 0; quote < 2; quote++) {
        char *out = groups_names_compress(names, n, budget, quote);
        if (!out)
            continue;
        /* the first item always shows (two names of a run, quotes, " (xN)", " +N more") */
        if (strlen(out) > budget + 2 * longest + 64)
            abort();
        free(out);
    }
    free(text);
    return 0;
}
