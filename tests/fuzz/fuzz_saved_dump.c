/* A saved dump is a file from anywhere (threadlens show / diff / top --load): the JSON reader,
 * then what is done with what it rebuilt (the text dump with its summary and verdicts, the
 * JSON again, a diff against itself). */
#include "fuzz_util.h"
#include "threadlens/format.h"
#include "threadlens/snapdiff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tl_snapshot *s = NULL;
    if (format_json_read((const char *)data, size, "input", &s, NULL) != TL_OK)
        return 0;
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        tl_format_options fo = {.stats = true};
        format_text(null, s, &fo, NULL);
        fo.group = true;
        format_text(null, s, &fo, NULL);
        format_json(null, s, &fo, NULL);
        tl_snapdiff *d = NULL;
        if (snapdiff_build(s, s, &d, NULL) == TL_OK) {
            format_diff_text(null, d);
            format_diff_json(null, d, NULL);
        }
        snapdiff_free(d);
        fclose(null);
    }
    snapshot_free(s);
    return 0;
}
