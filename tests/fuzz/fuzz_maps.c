/* /proc/PID/maps and smaps lines, smaps_rollup, the status signal masks, and the ELF headers
 * a module has in the target's memory (module_image_end, module_eh_frame_hdr), smaps VmFlags
 * and mountinfo lines (what a read could hang on). */
#include "fuzz_util.h"
#include "platform/linux/maps_parse.h"
#include "platform/linux/module_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    maps_line ml;
    if (maps_parse_line(text, size, &ml) && ml.path_len > size)
        abort();
    uint64_t kib, caught, ignored;
    maps_parse_kib_field(text, size, "Rss:", &kib);
    tl_mem_rollup rollup;
    maps_parse_rollup(text, &rollup);
    maps_parse_sigmasks(text, &caught, &ignored);
    bool uffd;
    maps_parse_vmflags(text, size, &uffd);
    unsigned maj, min;
    char fs[40];
    if (maps_parse_mountinfo(text, size, &maj, &min, fs, sizeof fs) && strlen(fs) >= sizeof fs)
        abort();
    free(text);
    uint64_t end;
    if (module_image_end(data, size, 0x400000, &end) && end <= 0x400000)
        abort();
    if (module_eh_frame_hdr(data, size, 0x400000, &end) && end < 0x400000)
        abort();
    return 0;
}
