/* The JVM's files as threadlens must touch them: inside the target's root, never through a
 * link or onto a FIFO or device, and the attach trigger file made and removed with the
 * target's own file-system credentials (root must never create or remove files for it). */
#ifndef THREADLENS_JVM_FILES_H
#define THREADLENS_JVM_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "threadlens/error.h"

#define JVM_FILES_MAX_GROUPS 256

/* The file-system identity of a process: fsuid, fsgid and supplementary groups. */
typedef struct jvm_creds {
    uid_t fsuid;
    gid_t fsgid;
    gid_t groups[JVM_FILES_MAX_GROUPS];
    size_t ngroups;
} jvm_creds;

/* Reads them from /proc/PID/status (Uid:/Gid: fourth fields, Groups:). false when unreadable. */
bool jvm_files_creds(int pid, jvm_creds *out);

/* Parses the same from status text (for tests). false when a field is missing. */
bool jvm_files_parse_creds(const char *status, jvm_creds *out);

/* Opens path (absolute, as the target sees it) inside /proc/PID/root: resolved in that root
 * with no symbolic link followed (openat2 RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS; without
 * openat2, O_NOFOLLOW on the last component). flags as open(2), O_CLOEXEC added. -1 + errno. */
int jvm_files_open_in_root(int pid, const char *path, int flags);

/* A regular file of the target for reading: opened O_PATH in its root, checked with fstat to
 * be a regular file of at most max bytes, and only then opened for reading (O_NONBLOCK), the
 * same inode. So a FIFO, a device or a link planted there is never opened. -1 + errno (EINVAL
 * for a non-regular file, EFBIG for a larger one). */
int jvm_files_open_regular(int pid, const char *path, size_t max, size_t *size);

/* Creates (create) or removes the empty file name in directory dirfd as a short-lived child
 * process with the credentials c, so the kernel checks the target's rights, not ours.
 * Creation is O_CREAT | O_EXCL | O_NOFOLLOW. Bounded in time (timeout_ms: a directory on a hung
 * file system). 0 or an errno value (EEXIST: already there; ETIMEDOUT). */
int jvm_files_as_target(const jvm_creds *c, int dirfd, const char *name, bool create, int timeout_ms);

#endif
