/* Opening a file the target has mapped (its libraries, for their symbols), as root, without
 * letting the target choose what we open or make us block. Never the path: the target may
 * have replaced it by a FIFO (an open that blocks for ever), a link to /etc/shadow or a
 * device, and in another mount namespace the same path on our side is another file (wrong
 * frames). Instead /proc/PID/map_files/START-END, the mapped inode itself whatever its path now
 * says (deleted, replaced, other namespace); where that is not allowed (it needs
 * CAP_SYS_ADMIN, or CAP_CHECKPOINT_RESTORE), the path resolved inside the target's root
 * (/proc/PID/root, openat2 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) and accepted only when its
 * device and inode are the mapping's. Either way the file is first opened O_PATH (no open
 * of a device or FIFO happens), fstat'ed, and re-opened for reading only when it is a regular
 * file of at most TARGET_FILE_MAX_BYTES. */
#ifndef THREADLENS_TARGET_FILE_H
#define THREADLENS_TARGET_FILE_H

#include <stddef.h>
#include <stdint.h>

#define TARGET_FILE_MAX_BYTES (1ULL << 30)   /* a module larger than 1 GiB is not read */

typedef struct target_mapping {
    uint64_t start, end;              /* one mapping of the file, as /proc/PID/maps lists it */
    unsigned dev_major, dev_minor;
    uint64_t inode;
    const char *path;                 /* as maps shows it (may end in " (deleted)") */
} target_mapping;

/* A read-only descriptor (O_RDONLY | O_NONBLOCK | O_CLOEXEC) to the regular file mapped at m in
 * process pid, or -1 with why (cap bytes) saying what was refused or failed. */
int target_file_open(int pid, const target_mapping *m, char *why, size_t cap);

#endif
