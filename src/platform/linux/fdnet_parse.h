/* Pure parsers of what the wait analysis reads about file descriptors and sockets:
 * readlink text of /proc/PID/fd/N, /proc/PID/fdinfo/N, and lines of /proc/PID/net/{tcp,tcp6,
 * udp,udp6,unix}. No I/O, so they are unit-tested on saved text (tests/data/). Every loop is
 * bounded by the input's length or an explicit maximum. */
#ifndef THREADLENS_FDNET_PARSE_H
#define THREADLENS_FDNET_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/platform.h"

/* "pipe:[123]" -> PIPE 123, "socket:[9]" -> SOCKET 9, "anon_inode:..." -> ANON, "/x" -> FILE. */
void fdnet_parse_link(const char *target, platform_fd_kind *kind, uint64_t *inode);

/* The "flags:" field of fdinfo (octal, as open(2) flags). false when absent. */
bool fdnet_parse_fdinfo_flags(const char *text, unsigned *flags);

/* The fds of the "tfd: N" lines of an epoll fd's fdinfo, at most max. Returns how many. */
size_t fdnet_parse_epoll_tfds(const char *text, int *fds, size_t max);

typedef struct fdnet_socket {
    uint64_t inode;
    char local[64];           /* "127.0.0.1:8080", "[::1]:22" */
    char remote[64];
    int state;                /* the st column (TCP state number for tcp/tcp6) */
} fdnet_socket;

/* One line of /proc/net/tcp or udp (v6 false) or tcp6/udp6 (v6 true). Addresses are written by
 * the kernel as native-endian 32-bit words of the network-order address: big_endian is the
 * byte order of the kernel that wrote them (the host's: tl_host_big_endian()). false for the
 * header and malformed lines. */
bool fdnet_parse_inet_line(const char *line, bool v6, bool big_endian, fdnet_socket *out);

/* One line of /proc/net/unix: its inode, state (st column) and path ("" when unnamed; abstract
 * names start with '@'). false for the header and malformed lines. */
bool fdnet_parse_unix_line(const char *line, uint64_t *inode, int *state, char *path, size_t cap);

/* "ESTABLISHED", "LISTEN", ... for a TCP state number; "?" when unknown. */
const char *fdnet_tcp_state_name(int state);

#endif
