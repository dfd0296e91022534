#include "record.h"
tl_status record_report(const recording *r, FILE *f, unsigned width, tl_error *err)
{
    (void)r; (void)f; (void)width;
    return tl_error_set(err, TL_EUNSUPPORTED, "not yet");
}
