/* A jsonl recording is a file from anywhere (threadlens report): the reader, then every
 * writer and the report on what it rebuilt. */
#include <stdio.h>

#include "format/record.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *in = fmemopen((void *)data, size, "r");
    if (!in)
        return 0;
    recording *r = NULL;
    tl_error e = {0};
    tl_status st = record_read_jsonl(in, "input", &r, &e);
    fclose(in);
    if (st != TL_OK)
        return 0;
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        record_report(r, null, 60, &e);
        record_report(r, null, 1, &e);
        record_write_folded(r, null, &e);
        record_write_jsonl(r, null, &e);
        record_write_speedscope(r, null, &e);
        record_write_pprof(r, null, &e);
        fclose(null);
    }
    record_free(r);
    return 0;
}
