#include "record.h"
tl_status record_read_jsonl(FILE *f, const char *name, recording **out, tl_error *err)
{
    (void)f;
    *out = NULL;
    return tl_error_set(err, TL_EUNSUPPORTED, "%s: not yet", name);
}
