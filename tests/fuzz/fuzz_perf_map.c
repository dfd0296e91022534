/* The perf map parser (/tmp/perf-PID.map, written by the target): any bytes parse without a
 * fault, every entry holds a NUL-terminated name no longer than the bound, and a lookup of each
 * entry's start finds a name. */
#include "fuzz_util.h"
#include "platform/linux/perf_map_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    perf_map pm;
    if (!perf_map_parse((const char *)data, size, &pm))
        return 0;
    for (size_t i = 0; i < pm.n; i++) {
        const perf_map_entry *e = &pm.entries[i];
        if (e->name_off >= pm.names_len || strlen(pm.names + e->name_off) > PERF_MAP_MAX_NAME || e->size == 0)
            abort();
        if (i && (e->start < pm.entries[i - 1].start))
            abort();
        uint64_t start = 0;
        if (!perf_map_find(&pm, e->start, &start) || start > e->start)
            abort();
    }
    perf_map_free(&pm);
    return 0;
}
