/* The peer of a connected unix socket, asked of the kernel through sock_diag netlink
 * (UNIX_DIAG_PEER): /proc/net/unix does not say which socket is connected to which. The query
 * runs in our own network namespace; a target in another one gets TL_ENOENT (no peer known). */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "platform/platform.h"

#define DIAG_NOCOOKIE (~0U)       /* match the socket by inode alone */
#define DIAG_REPLY_BYTES 8192
#define DIAG_TIMEOUT_US 100000    /* the kernel answers at once; never hang the dump on it */

static int diag_socket(void)
{
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    struct timeval tv = {.tv_sec = 0, .tv_usec = DIAG_TIMEOUT_US};
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static bool diag_send(int fd, uint64_t inode)
{
    struct {
        struct nlmsghdr nlh;
        struct unix_diag_req req;
    } msg = {
        .nlh = {.nlmsg_len = sizeof msg, .nlmsg_type = SOCK_DIAG_BY_FAMILY, .nlmsg_flags = NLM_F_REQUEST},
        .req = {.sdiag_family = AF_UNIX, .udiag_states = ~0U, .udiag_ino = (uint32_t)inode,
                .udiag_show = UDIAG_SHOW_PEER, .udiag_cookie = {DIAG_NOCOOKIE, DIAG_NOCOOKIE}},
    };
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    return sendto(fd, &msg, sizeof msg, 0, (struct sockaddr *)&kernel, sizeof kernel) == (ssize_t)sizeof msg;
}

/* The UNIX_DIAG_PEER attribute of one reply message, 0 when absent. */
static uint64_t reply_peer(const struct nlmsghdr *h)
{
    const struct unix_diag_msg *m = NLMSG_DATA(h);
    int len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof *m);
    for (const struct rtattr *a = (const struct rtattr *)(m + 1); len > 0 && RTA_OK(a, len); a = RTA_NEXT(a, len))
        if (a->rta_type == UNIX_DIAG_PEER && RTA_PAYLOAD(a) >= sizeof(uint32_t)) {
            uint32_t peer;
            memcpy(&peer, RTA_DATA(a), sizeof peer);
            return peer;
        }
    return 0;
}

tl_status platform_unix_peer(uint64_t inode, uint64_t *peer)
{
    _Alignas(struct nlmsghdr) char buf[DIAG_REPLY_BYTES];
    *peer = 0;
    if (inode == 0 || inode > UINT32_MAX)
        return TL_ENOENT;
    int fd = diag_socket();
    if (fd < 0)
        return TL_EUNSUPPORTED;
    ssize_t n = diag_send(fd, inode) ? recv(fd, buf, sizeof buf, 0) : -1;
    close(fd);
    const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
    if (n < (ssize_t)sizeof *h || !NLMSG_OK(h, (size_t)n) || h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
        h->nlmsg_len < NLMSG_LENGTH(sizeof(struct unix_diag_msg)))
        return TL_ENOENT;
    *peer = reply_peer(h);
    return *peer ? TL_OK : TL_ENOENT;
}
