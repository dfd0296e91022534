/* The notes of a core file (src/platform/linux/core_notes.c): a PT_NOTE segment's bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "platform/linux/core_notes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    core_notes n = {0};
    tl_error err = {0};
    core_notes_parse(data, size, &n, &err);
    core_notes_parse(data, size, &n, &err);   /* a second segment adds to the first */
    core_notes_free(&n);
    return 0;
}
