#include <string.h>

#include "cli_record.h"

static const char *const names[] = {"folded", "pprof", "speedscope", "jsonl"};

bool record_format_parse(const char *name, record_format *out)
{
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, names[i])) {
            *out = (record_format)i;
            return true;
        }
    return false;
}

const char *record_format_name(record_format f)
{
    return names[f];
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

record_format record_format_guess(const char *path)
{
    if (ends_with(path, ".pb.gz") || ends_with(path, ".pprof") || ends_with(path, ".pb"))
        return RECORD_PPROF;
    if (ends_with(path, ".jsonl"))
        return RECORD_JSONL;
    if (ends_with(path, ".json"))
        return RECORD_SPEEDSCOPE;
    return RECORD_FOLDED;
}

tl_status record_write(const recording *r, record_format f, FILE *out, tl_error *err)
{
    switch (f) {
    case RECORD_PPROF: return record_write_pprof(r, out, err);
    case RECORD_SPEEDSCOPE: return record_write_speedscope(r, out, err);
    case RECORD_JSONL: return record_write_jsonl(r, out, err);
    case RECORD_FOLDED: break;
    }
    return record_write_folded(r, out, err);
}
