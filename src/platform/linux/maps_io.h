/* Helpers shared by the readers of a process's shared state (maps.c, fds.c). */
#ifndef THREADLENS_MAPS_IO_H
#define THREADLENS_MAPS_IO_H

#include "threadlens/error.h"
#include "threadlens/model.h"

/* Sets err for a failed read of /proc/PID/FILE from errno e, with what to do about it. */
tl_status maps_io_fail(tl_error *err, int e, int pid, const char *file);

/* Counts the open fds of pid and lists the first TL_MAX_FDS_LISTED into sh. */
tl_status fds_read(int pid, tl_shared *sh, tl_error *err);

#endif
