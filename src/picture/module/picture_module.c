/* The entry point of threadlens-picture.so: the binary's loader (load/picture_load.c) looks up
 * this one name; everything else of the module is reached through it. */
#include "picture/picture.h"

tl_status picture_module_write(const tl_snapshot *snap, int fd, picture_format f, picture_stats *stats,
                               tl_error *err);

tl_status picture_module_write(const tl_snapshot *snap, int fd, picture_format f, picture_stats *stats,
                               tl_error *err)
{
    return picture_write(snap, fd, f, stats, err);
}
