/* The parsers of target-written binary data that take their byte order from the data: a
 * module's ELF header and program headers (module_image.c, as read from its memory) and a
 * JVM's hsperfdata file (jvm_perf.c). Every offset in them is the target's to choose. */
#include "fuzz_util.h"
#include "platform/linux/jvm_perf.h"
#include "platform/linux/module_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t end, eh;
    if (module_image_end(data, size, 0x7f0000000000, &end) && end < 0x7f0000000000)
        abort();
    if (module_eh_frame_hdr(data, size, 0x7f0000000000, &eh) && eh < 0x7f0000000000)
        abort();
    int cap = jvm_perf_attach_capability(data, size);
    if (cap < -1 || cap > 1)
        abort();
    return 0;
}
