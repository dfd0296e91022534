/* The picture of a process tree's address spaces and threads (threadlens picture, demo
 * --picture, the live view's p key): drawn with cairo and pango from a snapshot taken with the
 * sampler option `regions`. A library of its own: no curses, no terminal, nothing read from
 * the target here (everything comes from the snapshot, whose strings are escaped before use). */
#ifndef THREADLENS_PICTURE_H
#define THREADLENS_PICTURE_H

#include <stddef.h>

#include "threadlens/error.h"
#include "threadlens/model.h"

typedef enum picture_format { PICTURE_SVG = 0, PICTURE_PNG, PICTURE_PDF } picture_format;

/* What was drawn, for the caller's message and the tests. */
typedef struct picture_stats {
    size_t processes;         /* columns drawn */
    size_t threads;           /* thread markers drawn */
    size_t regions;           /* mappings in the drawn processes */
    size_t folded;            /* of those, grouped into "N small regions" blocks */
} picture_stats;

/* By the file name's suffix (case-insensitive): .png, .pdf, anything else SVG. */
picture_format picture_format_for(const char *path);
const char *picture_format_name(picture_format f);   /* "SVG", "PNG", "PDF" */

/* Draws snap into fd (not closed) in format f. stats may be NULL. TL_EIO when writing failed,
 * TL_ENOMEM, TL_EINVAL when the snapshot has no process. In the threadlens binary this is the
 * loader (load/picture_load.c): cairo and pango live in the module threadlens-picture.so, which
 * only a picture opens; TL_EUNSUPPORTED when the module cannot be loaded. */
tl_status picture_write(const tl_snapshot *snap, int fd, picture_format f, picture_stats *stats,
                        tl_error *err);

/* Loads the module now (the command checks before it samples): TL_OK, else TL_EUNSUPPORTED
 * with where it was looked for. Only in the binary. */
tl_status picture_module_load(tl_error *err);

#endif
