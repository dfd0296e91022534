/* Pure parsers of the memory-map files of /proc (maps, smaps, smaps_rollup) and of the signal
 * masks in status. No I/O: unit-tested on saved text (tests/unit/test_maps_parse.c). Every
 * loop is bounded by the length of its input. */
#ifndef THREADLENS_MAPS_PARSE_H
#define THREADLENS_MAPS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "threadlens/model.h"

/* One line of /proc/PID/maps (also the header lines of smaps). path points into the line
 * (not NUL-terminated: path_len bytes, 0 for anonymous memory); a trailing newline is not part
 * of it. */
typedef struct maps_line {
    uint64_t start, end, offset, inode;
    char perms[5];
    unsigned dev_major, dev_minor;
    const char *path;
    size_t path_len;
} maps_line;

/* "START-END PERMS OFFSET MAJ:MIN INODE [PATH]" of len bytes. false when it is not such a line
 * (e.g. an smaps "Rss: 4 kB" line) or start > end. */
bool maps_parse_line(const char *line, size_t len, maps_line *out);

/* An smaps/smaps_rollup/status field line "KEY:   VALUE kB" whose key is key (with the colon,
 * e.g. "Rss:"). Sets *kib and returns true when the line is that key with a number. */
bool maps_parse_kib_field(const char *line, size_t len, const char *key, uint64_t *kib);

/* The whole text of /proc/PID/smaps_rollup. Sets out->valid when Rss was found. */
void maps_parse_rollup(const char *text, tl_mem_rollup *out);

/* SigCgt and SigIgn from the text of /proc/PID/status. false when either is missing. */
bool maps_parse_sigmasks(const char *text, uint64_t *caught, uint64_t *ignored);

/* An smaps "VmFlags:" line: true when line is one, *uffd when it carries "um", "uw" or "ui"
 * (the range is registered with a userfaultfd, for missing pages, write protection or minor
 * faults: a fault in it may wait for the handler). */
bool maps_parse_vmflags(const char *line, size_t len, bool *uffd);

/* One line of /proc/PID/mountinfo: the device (MAJ:MIN, as maps shows it) and the file-system
 * type (after the " - " separator) into fstype (cap bytes, NUL-terminated). false when the
 * line is not one or the type does not fit. */
bool maps_parse_mountinfo(const char *line, size_t len, unsigned *dev_major, unsigned *dev_minor, char *fstype,
                          size_t cap);

/* Whether pages of a file system of this type come from a daemon or a server (FUSE, NFS,
 * CIFS, 9p, Ceph...): reading one that is not cached can wait for it without end. */
bool maps_fstype_may_hang(const char *fstype);

#endif
