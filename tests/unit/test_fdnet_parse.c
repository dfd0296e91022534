/* Parsers of fd links, fdinfo and /proc/net tables, on text saved from this kind of machine
 * (tests/data/waits_*.txt: a Python process with a TCP listener on 127.0.0.1:45678 and one
 * connection to it, a TCP6 listener on [::1]:45679, a UDP socket on 0.0.0.0:45680 and a unix
 * listener on "/tmp/wprobe/my sock"; an epoll fd watching fds 3 and 5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform/linux/fdnet_parse.h"
#include "test_data.h"

/* tests/data/net was saved on a little-endian (x86_64) host: its kernel wrote the addresses
 * as little-endian words, whatever the host that reads them now (test_endian.c: big). */
#define SAVED_BIG_ENDIAN false

/* The line of a saved table whose inode column is `inode`, parsed; false when none. */
static bool find_inet(const char *file, bool v6, uint64_t inode, fdnet_socket *out)
{
    char *text = test_data_load(file, NULL), *save = NULL;
    bool found = false;
    for (char *line = strtok_r(text, "\n", &save); line && !found; line = strtok_r(NULL, "\n", &save))
        found = fdnet_parse_inet_line(line, v6, SAVED_BIG_ENDIAN, out) && out->inode == inode;
    free(text);
    return found;
}

static void test_links(void **state)
{
    (void)state;
    platform_fd_kind kind;
    uint64_t inode;
    fdnet_parse_link("pipe:[377474]", &kind, &inode);
    assert_int_equal(kind, PLATFORM_FD_PIPE);
    assert_int_equal(inode, 377474);
    fdnet_parse_link("socket:[421641]", &kind, &inode);
    assert_int_equal(kind, PLATFORM_FD_SOCKET);
    assert_int_equal(inode, 421641);
    fdnet_parse_link("anon_inode:[eventpoll]", &kind, &inode);
    assert_int_equal(kind, PLATFORM_FD_ANON);
    fdnet_parse_link("/tmp/a file (deleted)", &kind, &inode);
    assert_int_equal(kind, PLATFORM_FD_FILE);
    fdnet_parse_link("pipe:[12", &kind, &inode);        /* truncated: not a pipe we can match */
    assert_int_equal(kind, PLATFORM_FD_UNKNOWN);
    fdnet_parse_link("", &kind, &inode);
    assert_int_equal(kind, PLATFORM_FD_UNKNOWN);
}

static void test_fdinfo_flags(void **state)
{
    (void)state;
    unsigned flags;
    char *r = test_data_load("waits_fdinfo_pipe_read.txt", NULL), *w = test_data_load("waits_fdinfo_pipe_write.txt", NULL);
    assert_true(fdnet_parse_fdinfo_flags(r, &flags));
    assert_int_equal(flags & 3, 0);            /* O_RDONLY */
    assert_true(fdnet_parse_fdinfo_flags(w, &flags));
    assert_int_equal(flags & 3, 1);            /* O_WRONLY */
    assert_int_equal(flags, 02000001);         /* O_CLOEXEC | O_WRONLY */
    assert_false(fdnet_parse_fdinfo_flags("pos:\t0\n", &flags));
    assert_false(fdnet_parse_fdinfo_flags("", &flags));
    free(r);
    free(w);
}

static void test_epoll_tfds(void **state)
{
    (void)state;
    char *text = test_data_load("waits_fdinfo_epoll.txt", NULL);
    int fds[4];
    assert_int_equal(fdnet_parse_epoll_tfds(text, fds, 4), 2);
    assert_int_equal(fds[0], 5);
    assert_int_equal(fds[1], 3);
    assert_int_equal(fdnet_parse_epoll_tfds(text, fds, 1), 1);   /* bounded by max */
    assert_int_equal(fdnet_parse_epoll_tfds("pos:\t0\n", fds, 4), 0);
    free(text);
}

static void test_tcp_listener_and_connection(void **state)
{
    (void)state;
    fdnet_socket s;
    assert_true(find_inet("waits_net_tcp.txt", false, 421641, &s));
    assert_string_equal(s.local, "127.0.0.1:45678");
    assert_string_equal(s.remote, "0.0.0.0:0");
    assert_string_equal(fdnet_tcp_state_name(s.state), "LISTEN");
    assert_true(find_inet("waits_net_tcp.txt", false, 421644, &s));
    assert_string_equal(s.local, "127.0.0.1:47638");
    assert_string_equal(s.remote, "127.0.0.1:45678");
    assert_string_equal(fdnet_tcp_state_name(s.state), "ESTABLISHED");
}

static void test_tcp6_and_udp(void **state)
{
    (void)state;
    fdnet_socket s;
    assert_true(find_inet("waits_net_tcp6.txt", true, 421642, &s));
    assert_string_equal(s.local, "[::1]:45679");
    assert_string_equal(s.remote, "[::]:0");
    assert_true(find_inet("waits_net_udp.txt", false, 421648, &s));
    assert_string_equal(s.local, "0.0.0.0:45680");
}

static void test_inet_rejects_header_and_garbage(void **state)
{
    (void)state;
    fdnet_socket s;
    assert_false(fdnet_parse_inet_line("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when", false, SAVED_BIG_ENDIAN, &s));
    assert_false(fdnet_parse_inet_line("", false, SAVED_BIG_ENDIAN, &s));
    assert_false(fdnet_parse_inet_line("   0: 0100007F:B26E 00000000 0A 0:0 0:0 0 0 0 12", false, SAVED_BIG_ENDIAN, &s));
    assert_false(fdnet_parse_inet_line("   0: 0100007F:B26E 00000000:0000 0A 0:0 0:0 0 0 0 12", true, SAVED_BIG_ENDIAN, &s));
    assert_false(fdnet_parse_inet_line("   0: ZZ00007F:B26E 00000000:0000 0A 0:0 0:0 0 0 0 12", false, SAVED_BIG_ENDIAN, &s));
    assert_true(fdnet_parse_inet_line("   0: 0100007F:B26E 00000000:0000 0A 0:0 0:0 0 0 0 12", false, SAVED_BIG_ENDIAN, &s));
    assert_int_equal(s.inode, 12);
}

static void test_unix(void **state)
{
    (void)state;
    char *text = test_data_load("waits_net_unix.txt", NULL), *save = NULL, path[256];
    uint64_t inode;
    int st;
    bool found = false;
    for (char *line = strtok_r(text, "\n", &save); line && !found; line = strtok_r(NULL, "\n", &save))
        found = fdnet_parse_unix_line(line, &inode, &st, path, sizeof path) && inode == 421643;
    assert_true(found);
    assert_string_equal(path, "/tmp/wprobe/my sock");     /* a space in the path is kept */
    assert_int_equal(st, 1);
    assert_true(fdnet_parse_unix_line("0000000000000000: 00000003 00000000 00000000 0001 03 77\n", &inode, &st, path,
                                      sizeof path));
    assert_int_equal(inode, 77);
    assert_string_equal(path, "");
    assert_false(fdnet_parse_unix_line("Num       RefCount Protocol Flags    Type St Inode Path", &inode, &st, path,
                                       sizeof path));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_fdinfo_flags),
        cmocka_unit_test(test_epoll_tfds),
        cmocka_unit_test(test_tcp_listener_and_connection),
        cmocka_unit_test(test_tcp6_and_udp),
        cmocka_unit_test(test_inet_rejects_header_and_garbage),
        cmocka_unit_test(test_unix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
