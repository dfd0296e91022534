/* What the wait analysis reads about fds: fd link text, fdinfo, /proc/net lines. */
#include "fuzz_util.h"
#include "platform/linux/fdnet_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    platform_fd_kind kind;
    uint64_t inode;
    fdnet_parse_link(text, &kind, &inode);
    unsigned flags;
    fdnet_parse_fdinfo_flags(text, &flags);
    int fds[16];
    if (fdnet_parse_epoll_tfds(text, fds, 16) > 16)
        abort();
    fdnet_socket sock;
    fdnet_parse_inet_line(text, false, false, &sock);
    fdnet_parse_inet_line(text, true, true, &sock);
    int state;
    char path[108];
    fdnet_parse_unix_line(text, &inode, &state, path, sizeof path);
    free(text);
    return 0;
}
