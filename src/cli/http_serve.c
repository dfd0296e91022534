/* threadlens metrics --listen: /metrics over HTTP with libmicrohttpd (parsing HTTP is the
 * library's job). One internal thread serves every connection, so one sample is taken at a
 * time: a scrape arriving during another one waits for it to finish. (A thread per connection
 * would also need a sampler per connection, or a lock around the one.) The sampler stays open
 * between scrapes (incremental); when a target exits the endpoint stays up and says
 * threadlens_target_up 0. SIGINT and SIGTERM stop it cleanly (exit 0). */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "http_mhd.h"
#include "metrics_sample.h"

#define MAX_CONNECTIONS 16       /* scrapers queue behind one sample anyway */
#define CONNECTION_TIMEOUT_S 30

/* Splits "HOST:PORT" or "[V6]:PORT" in place; false when malformed. */
static bool split_addr(char *s, char **host, char **port)
{
    char *colon = strrchr(s, ':');
    if (!colon || colon == s || !colon[1])
        return false;
    *colon = '\0';
    *port = colon + 1;
    *host = s;
    size_t n = strlen(s);
    if (s[0] == '[') {
        if (n < 3 || s[n - 1] != ']')
            return false;
        s[n - 1] = '\0';
        *host = s + 1;
    }
    return true;
}

static bool is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    return false;
}

/* A listening socket on addr, or -1 with the message printed (rc: the exit code). */
static int open_listener(const char *addr, bool any_address, int *rc)
{
    char *copy = strdup(addr), *host, *port;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *ai = NULL;
    int fd = -1;
    *rc = EXIT_USAGE;
    if (!copy || !split_addr(copy, &host, &port))
        cli_fail("metrics", EXIT_USAGE, "--listen takes HOST:PORT (127.0.0.1:9464, [::1]:9464), not '%s'", addr);
    else if (getaddrinfo(host, port, &hints, &ai) != 0)
        cli_fail("metrics", EXIT_USAGE, "--listen: cannot resolve '%s' (give a numeric address and port)", addr);
    else if (!is_loopback(ai->ai_addr) && !any_address)
        cli_fail("metrics", EXIT_USAGE, "--listen %s is not a loopback address: the metrics name your processes "
                 "and threads; add --listen-any to serve them on it anyway", addr);
    else if ((fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
             setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int)) != 0 ||
             bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, MAX_CONNECTIONS) != 0) {
        *rc = cli_fail("metrics", EXIT_FAILED, "cannot listen on %s: %s", addr, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    if (ai)
        freeaddrinfo(ai);
    free(copy);
    return fd;
}

static const http_mhd *mhd;   /* set before the server starts; its thread only reads it */

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned code, const char *type, char *body, size_t len)
{
    struct MHD_Response *r = mhd->create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    mhd->add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    enum MHD_Result ret = mhd->queue_response(conn, code, r);
    mhd->destroy_response(r);
    return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *conn, unsigned code, const char *text)
{
    char *body = strdup(text);
    return body ? reply(conn, code, "text/plain; charset=utf-8", body, strlen(body)) : MHD_NO;
}

static enum MHD_Result serve_metrics(metrics_ctx *c, struct MHD_Connection *conn)
{
    char *body = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    if (!f)
        return reply_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
    tl_error err = {0};
    tl_status st = metrics_sample_write(c, f, &err);
    if (fclose(f) != 0 || (st != TL_OK && st != TL_PARTIAL && st != TL_ENOENT)) {
        free(body);
        fprintf(stderr, "threadlens metrics: a scrape failed: %s\n", err.msg);
        return reply_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "threadlens could not sample; see its stderr\n");
    }
    return reply(conn, MHD_HTTP_OK, TL_OPENMETRICS_CONTENT_TYPE, body, len);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **req)
{
    (void)version;
    (void)upload;
    if (!*req) {   /* first call: headers only; answer on the next one */
        *req = conn;
        return MHD_YES;
    }
    if (*upload_size) {   /* a GET has no body: drop whatever was sent */
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return reply_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET /metrics\n");
    if (!strcmp(url, "/metrics"))
        return serve_metrics(cls, conn);
    if (!strcmp(url, "/"))
        return reply_text(conn, MHD_HTTP_OK, "threadlens metrics: GET /metrics\n");
    return reply_text(conn, MHD_HTTP_NOT_FOUND, "not found; the metrics are at /metrics\n");
}

static void print_address(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[NI_MAXHOST], port[NI_MAXSERV];
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0 ||
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, port, sizeof port, NI_NUMERICHOST | NI_NUMERICSERV))
        return;
    bool v6 = ss.ss_family == AF_INET6;
    fprintf(stderr, "threadlens metrics: serving http://%s%s%s:%s/metrics\n", v6 ? "[" : "", host, v6 ? "]" : "", port);
}

int http_serve_metrics(metrics_ctx *c, const char *addr, bool any_address)
{
    char why[256];
    mhd = http_mhd_load(why, sizeof why);
    if (!mhd)
        return cli_fail("metrics", EXIT_FAILED, "--listen needs libmicrohttpd (Debian: libmicrohttpd12): %s", why);
    int rc;
    int fd = open_listener(addr, any_address, &rc);
    if (fd < 0)
        return rc;
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);   /* before the server's thread: only we take them */
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = mhd->start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                                            on_request, c, MHD_OPTION_LISTEN_SOCKET, fd,
                                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
                                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
                                            MHD_OPTION_END);
    if (!d) {
        close(fd);
        return cli_fail("metrics", EXIT_FAILED, "cannot start the HTTP server on %s (libmicrohttpd)", addr);
    }
    print_address(fd);
    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    mhd->stop_daemon(d);
    fprintf(stderr, "threadlens metrics: stopped by SIG%s\n", sig == SIGINT ? "INT" : "TERM");
    return EXIT_COMPLETE;
}
