/* HotSpot dynamic attach, the client side, as the JDK's own VirtualMachineImpl does it on
 * Linux (docs/jvm-attach.md): the socket /tmp/.java_pid<nspid> seen through /proc/PID/root,
 * started on demand by a .attach_pid<nspid> trigger file plus SIGQUIT; one request per
 * connection. Shared temp directories are never trusted: the socket is opened O_PATH inside
 * the target's root without following links, its type and owner checked on that very inode,
 * and the connection made through that fd. The trigger file is made and removed with the
 * target's credentials in one directory opened once. Every request has one deadline for its
 * connect, send and receive together. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "jvm_files.h"
#include "platform/platform.h"

#define ATTACH_POLL_FIRST_MS 10       /* first wait for the socket; doubles up to the max */
#define ATTACH_POLL_MAX_MS 200
#define ATTACH_REQUEST_MAX 1024       /* bytes of one request */
#define TRIGGER_FS_TIMEOUT_MS 1000    /* creating or removing the trigger file (a hung file system) */

static void socket_path(const platform_jvm_target *t, char *buf, size_t cap)
{
    snprintf(buf, cap, "/proc/%d/root/tmp/.java_pid%d", t->pid, t->nspid);
}

/* The socket file, opened without following a link, checked to be a socket of the JVM's
 * owner (or ours). Returns an O_PATH fd or -1 with err set (TL_ENOENT when absent). */
static int open_checked_socket(const platform_jvm_target *t, tl_error *err)
{
    char path[128], inside[64];
    socket_path(t, path, sizeof path);
    snprintf(inside, sizeof inside, "/tmp/.java_pid%d", t->nspid);
    int fd = jvm_files_open_in_root(t->pid, inside, O_PATH | O_NOFOLLOW);
    if (fd < 0) {
        tl_status code = errno == ENOENT ? TL_ENOENT : TL_EPERM;
        tl_error_set(err, code, "cannot open the JVM's attach socket %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) {
        close(fd);
        tl_error_set(err, TL_EPERM, "%s is not a socket (a link or a planted file?); not attaching", path);
        return -1;
    }
    uid_t me = geteuid();
    if (st.st_uid != me && !(me == 0 && st.st_uid == t->euid)) {
        close(fd);
        tl_error_set(err, TL_EPERM, "the attach socket %s belongs to uid %u, not to the JVM's user (%u) or us (%u); not attaching",
                     path, (unsigned)st.st_uid, t->euid, (unsigned)me);
        return -1;
    }
    return fd;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Where the trigger file went: the directory (opened once, so a target that moves its cwd
 * or swaps a link meanwhile cannot redirect the removal) and the credentials it was made with. */
typedef struct trigger {
    int dirfd;               /* -1: none made by us */
    jvm_creds creds;
    char name[32];
    const char *where;       /* "cwd" or "/tmp", for messages */
} trigger;

/* Creates .attach_pid<nspid> as the target (its fsuid, fsgid and groups), O_EXCL, in its cwd,
 * else in its /tmp as the JVM looks there too. 1 when we made it, 0 when one is there already
 * (another client's attach in progress: not ours to remove), -1 (errno set) when neither could. */
static int create_trigger(const platform_jvm_target *t, trigger *tr)
{
    char cwd[64];
    tr->dirfd = -1;
    snprintf(tr->name, sizeof tr->name, ".attach_pid%d", t->nspid);
    if (!jvm_files_creds(t->pid, &tr->creds)) {
        errno = ESRCH;
        return -1;
    }
    snprintf(cwd, sizeof cwd, "/proc/%d/cwd", t->pid);
    int dirs[2] = {open(cwd, O_PATH | O_DIRECTORY | O_CLOEXEC),
                   jvm_files_open_in_root(t->pid, "/tmp", O_PATH | O_DIRECTORY)};
    static const char *const names[] = {"cwd", "/tmp"};
    int result = -1, why = ENOENT;
    for (size_t i = 0; i < 2 && result != 1; i++) {
        if (dirs[i] < 0)
            continue;
        int e = jvm_files_as_target(&tr->creds, dirs[i], tr->name, true, TRIGGER_FS_TIMEOUT_MS);
        if (e == 0) {
            tr->dirfd = dirs[i], dirs[i] = -1, tr->where = names[i];
            result = 1;
        } else if (e == EEXIST) {
            result = 0;
        } else {
            why = e;
        }
    }
    for (size_t i = 0; i < 2; i++)
        if (dirs[i] >= 0)
            close(dirs[i]);
    if (result < 0)
        errno = why;
    return result;
}

/* Removes the trigger we made, through the same directory fd and as the target again. */
static void remove_trigger(trigger *tr)
{
    if (tr->dirfd < 0)
        return;
    jvm_files_as_target(&tr->creds, tr->dirfd, tr->name, false, TRIGGER_FS_TIMEOUT_MS);
    close(tr->dirfd);
    tr->dirfd = -1;
}

/* TL_OK when the attach socket is up (and passes the checks), TL_ENOENT when it is not there
 * (yet), another code (err filled) when it is there but must not be used. */
static tl_status probe_socket(const platform_jvm_target *t, tl_error *err)
{
    tl_error probe = {0};
    int fd = open_checked_socket(t, &probe);
    if (fd >= 0) {
        close(fd);
        return TL_OK;
    }
    if (probe.code == TL_ENOENT)
        return TL_ENOENT;
    return tl_error_set(err, probe.code, "%s", probe.msg);
}

/* Polls for the socket until the deadline; TL_OK when it is there and checked. */
static tl_status wait_for_socket(const platform_jvm_target *t, int timeout_ms, tl_error *err)
{
    uint64_t deadline = now_ms() + (uint64_t)timeout_ms;
    unsigned step = ATTACH_POLL_FIRST_MS;
    for (;;) {
        tl_status st = probe_socket(t, err);
        if (st != TL_ENOENT)
            return st;
        if (now_ms() >= deadline)
            return tl_error_set(err, TL_EIO, "the JVM %d did not open its attach socket within %d ms "
                                "(attach disabled, or the JVM is busy or hung)", t->pid, timeout_ms);
        sleep_ms(step);
        step = step * 2 > ATTACH_POLL_MAX_MS ? ATTACH_POLL_MAX_MS : step * 2;
    }
}

tl_status platform_jvm_start_listener(const platform_jvm_target *t, int timeout_ms, bool *started,
                                      tl_error *err)
{
    *started = false;
    tl_status st = probe_socket(t, err);
    if (st != TL_ENOENT)
        return st;
    if (!t->catches_sigquit)
        return tl_error_set(err, TL_EPERM, "the JVM %d does not catch SIGQUIT (started with -Xrs?), so its attach "
                            "listener cannot be started without killing it; not signalling it", t->pid);
    trigger tr;
    int made = create_trigger(t, &tr);
    if (made < 0)
        return tl_error_set(err, TL_EPERM, "cannot create the attach trigger file .attach_pid%d in the JVM %d's "
                            "working directory or /tmp as its user: %s; not signalling it", t->nspid, t->pid,
                            strerror(errno));
    if (kill(t->pid, SIGQUIT) != 0) {
        remove_trigger(&tr);
        return tl_error_set(err, errno == ESRCH ? TL_ENOENT : TL_EPERM, "cannot signal the JVM %d: %s",
                            t->pid, strerror(errno));
    }
    st = wait_for_socket(t, timeout_ms, err);
    remove_trigger(&tr);
    *started = st == TL_OK;
    return st;
}

/* Milliseconds left until deadline (0 when passed). */
static int left_ms(uint64_t deadline)
{
    uint64_t now = now_ms();
    return now >= deadline ? 0 : (int)(deadline - now);
}

/* Waits until s is ready for events or the deadline passes; false on timeout or error. */
static bool wait_ready(int s, short events, uint64_t deadline)
{
    for (;;) {
        struct pollfd p = {.fd = s, .events = events};
        int left = left_ms(deadline);
        if (left == 0)
            return errno = ETIMEDOUT, false;
        int r = poll(&p, 1, left);
        if (r > 0)
            return true;
        if (r < 0 && errno != EINTR)
            return false;
    }
}

/* Connects to the checked socket through its O_PATH fd, so the inode checked is the one used.
 * Non-blocking: a listener whose backlog is full does not hold us. */
static int connect_checked(const platform_jvm_target *t, tl_error *err)
{
    int pfd = open_checked_socket(t, err);
    if (pfd < 0)
        return -1;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d", pfd);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s < 0) {
        tl_error_set(err, TL_EIO, "cannot create a socket to attach to the JVM %d: %s", t->pid, strerror(errno));
        close(pfd);
        return -1;
    }
    if (connect(s, (struct sockaddr *)&sa, sizeof sa) != 0) {
        tl_error_set(err, errno == EACCES ? TL_EPERM : TL_EIO, "cannot connect to the attach socket of the JVM %d: %s%s",
                     t->pid, strerror(errno), errno == EAGAIN ? " (its listener is not accepting)" : "");
        close(s);
        s = -1;
    }
    close(pfd);
    return s;
}

/* "1\0cmd\0a0\0a1\0a2\0" into buf; 0 when it does not fit. */
static size_t build_request(char *buf, size_t cap, const char *cmd, const char *const args[3])
{
    const char *parts[] = {"1", cmd, args ? args[0] : NULL, args ? args[1] : NULL, args ? args[2] : NULL};
    size_t n = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        const char *p = parts[i] ? parts[i] : "";
        size_t k = strlen(p) + 1;
        if (n + k > cap)
            return 0;
        memcpy(buf + n, p, k);
        n += k;
    }
    return n;
}

static bool send_all(int s, const char *buf, size_t n, uint64_t deadline)
{
    while (n > 0) {
        ssize_t w = send(s, buf, n, MSG_NOSIGNAL);
        if (w < 0 && (errno == EINTR || ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_ready(s, POLLOUT, deadline))))
            continue;
        if (w <= 0)
            return false;
        buf += w;
        n -= (size_t)w;
    }
    return true;
}

/* Reads until EOF or max bytes, all before the deadline. TL_PARTIAL when cut at max, TL_EIO on
 * error or when the deadline passed (a JVM answering a byte at a time is not waited for). */
static tl_status recv_all(int s, size_t max, uint64_t deadline, int budget_ms, char **out, size_t *len,
                          tl_error *err)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    tl_status st = TL_OK;
    while (buf) {
        if (n == cap) {
            if (cap >= max) {
                st = tl_error_set(err, TL_PARTIAL, "the JVM's answer was cut at %zu bytes", max);
                break;
            }
            cap = cap * 2 > max ? max : cap * 2;
            char *grown = realloc(buf, cap + 1);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
        }
        ssize_t r = recv(s, buf + n, cap - n, 0);
        if (r < 0 && (errno == EINTR || ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_ready(s, POLLIN, deadline))))
            continue;
        if (r < 0 && errno == ETIMEDOUT) {
            st = tl_error_set(err, TL_EIO, "the JVM's answer did not end within %d ms (%zu bytes so far; busy in a "
                              "long safepoint, hung, or not a JVM)", budget_ms, n);
            break;
        }
        if (r < 0) {
            st = tl_error_set(err, TL_EIO, "reading the JVM's answer failed: %s", strerror(errno));
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (!buf)
        return tl_error_set(err, TL_ENOMEM, "out of memory reading the JVM's answer");
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return st;
}

tl_status platform_jvm_request(const platform_jvm_target *t, const char *cmd, const char *const args[3],
                               int timeout_ms, size_t max_bytes, char **reply, size_t *len, tl_error *err)
{
    *reply = NULL;
    *len = 0;
    char req[ATTACH_REQUEST_MAX];
    size_t n = build_request(req, sizeof req, cmd, args);
    if (n == 0)
        return tl_error_set(err, TL_EINVAL, "attach request '%s' is too long", cmd);
    uint64_t deadline = now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
    tl_error local = {0};
    int s = connect_checked(t, &local);
    if (s < 0) {
        if (err)
            *err = local;
        return local.code != TL_OK ? local.code : TL_EIO;
    }
    tl_status st;
    if (!send_all(s, req, n, deadline))
        st = tl_error_set(err, TL_EIO, "sending '%s' to the JVM %d failed: %s", cmd, t->pid, strerror(errno));
    else
        st = recv_all(s, max_bytes, deadline, timeout_ms, reply, len, err);
    close(s);
    if (st != TL_OK && st != TL_PARTIAL) {
        free(*reply);
        *reply = NULL;
        *len = 0;
    }
    return st;
}
