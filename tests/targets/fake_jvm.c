/* A process that looks like a HotSpot JVM to threadlens (a mapped file named libjvm.so, a
 * mapped hsperfdata file, SIGQUIT caught) and answers the attach protocol in a hostile way.
 * Usage: fake_jvm MODE [--fifo-perf] [--cwd DIR] [--move DIR2]
 *   MODE drip: "0\n" then one byte every 2 s, never ending; silent: accepts, never answers;
 *        garbage: 4 KiB that are not the protocol, then closes; huge: "0\n" and then endless
 *        bytes as fast as they go; nolisten: never opens the attach socket.
 *   --fifo-perf: the hsperfdata file is replaced by a FIFO at the path its mapping shows.
 *   --cwd DIR: works in DIR; --move DIR2: a thread switches the cwd between DIR and DIR2
 *        every millisecond (a target racing the trigger file's path).
 * On each SIGQUIT it prints which trigger file it found and its owner ("trigger=cwd uid=N",
 * "trigger=tmp uid=N" or "trigger=none"), then serves MODE to one connection on
 * /tmp/.java_pid<PID> and removes that socket again. Prints
 * "dir=<its scratch directory>" and then "ready". */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "waits_target.h"

static volatile sig_atomic_t quits;
static const char *cwd_a, *cwd_b;

static void on_quit(int sig)
{
    (void)sig;
    quits++;
}

static void map_file(const char *path, size_t size)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, (off_t)size) != 0)
        target_die(path, errno);
    if (mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
        target_die("mmap", errno);
    close(fd);
}

static void *mover(void *arg)
{
    (void)arg;
    struct timespec ms = {0, 1000000};
    for (int i = 0;; i++) {
        (void)!chdir(i % 2 ? cwd_b : cwd_a);
        nanosleep(&ms, NULL);
    }
    return NULL;
}

static void report_trigger(void)
{
    char name[64], tmp[96];
    struct stat st;
    snprintf(name, sizeof name, ".attach_pid%d", (int)getpid());
    snprintf(tmp, sizeof tmp, "/tmp/%s", name);
    if (lstat(name, &st) == 0)
        printf("trigger=cwd uid=%u\n", (unsigned)st.st_uid);
    else if (lstat(tmp, &st) == 0)
        printf("trigger=tmp uid=%u\n", (unsigned)st.st_uid);
    else
        printf("trigger=none\n");
    fflush(stdout);
}

static int listen_attach(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "/tmp/.java_pid%d", (int)getpid());
    unlink(sa.sun_path);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(s, 8) != 0)
        target_die("attach socket", errno);
    return s;
}

/* Reads the request (five NUL-terminated strings) or gives up after a while. */
static void read_request(int c)
{
    char buf[1024];
    int nuls = 0;
    struct timeval tv = {1, 0};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    while (nuls < 5) {
        ssize_t r = read(c, buf, sizeof buf);
        if (r <= 0)
            return;
        for (ssize_t i = 0; i < r; i++)
            nuls += buf[i] == '\0';
    }
}

static void serve(int c, const char *mode)
{
    static char block[1 << 20];
    read_request(c);
    if (!strcmp(mode, "drip")) {
        if (write(c, "0\n", 2) != 2)
            return;
        while (write(c, "x", 1) == 1)
            sleep(2);
    } else if (!strcmp(mode, "silent")) {
        char b;
        struct timeval forever = {0, 0};
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof forever);
        while (read(c, &b, 1) > 0)   /* until threadlens hangs up */
            ;
    } else if (!strcmp(mode, "garbage")) {
        for (size_t i = 0; i < 4096; i++)
            block[i] = (char)(0x80 | (i * 37 % 127));
        (void)!write(c, block, 4096);
    } else if (!strcmp(mode, "huge")) {
        memset(block, 'x', sizeof block);
        if (write(c, "0\n", 2) == 2)
            while (write(c, block, sizeof block) > 0)
                ;
    }
}

int main(int argc, char **argv)
{
    if (argc < 2)
        target_die("usage: fake_jvm MODE [--fifo-perf] [--cwd DIR] [--move DIR2]", EINVAL);
    const char *mode = argv[1];
    int fifo_perf = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--fifo-perf"))
            fifo_perf = 1;
        else if (!strcmp(argv[i], "--cwd") && i + 1 < argc)
            cwd_a = argv[++i];
        else if (!strcmp(argv[i], "--move") && i + 1 < argc)
            cwd_b = argv[++i];
    }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_quit};
    sigaction(SIGQUIT, &sa, NULL);
    char dir[] = "/tmp/tl-fakejvm.XXXXXX", path[128], perf[256];
    if (!mkdtemp(dir))
        target_die("mkdtemp", errno);
    snprintf(path, sizeof path, "%s/libjvm.so", dir);
    map_file(path, 4096);
    snprintf(path, sizeof path, "%s/hsperfdata_fake", dir);
    mkdir(path, 0755);
    snprintf(perf, sizeof perf, "%s/%d", path, (int)getpid());
    map_file(perf, 32768);
    if (fifo_perf) {   /* the mapping now reads "<perf> (deleted)": put a FIFO there */
        unlink(perf);
        strcat(perf, " (deleted)");
        if (mkfifo(perf, 0644) != 0)
            target_die("mkfifo", errno);
    }
    if (cwd_a && chdir(cwd_a) != 0)
        target_die("chdir", errno);
    if (cwd_a && cwd_b) {
        pthread_t t;
        pthread_create(&t, NULL, mover, NULL);
    }
    printf("dir=%s\n", dir);
    target_ready();
    for (;;) {
        while (!quits)
            pause();
        quits = 0;
        report_trigger();
        if (!strcmp(mode, "nolisten"))
            continue;
        /* one connection per SIGQUIT, then the socket is gone again: every dump starts the
         * listener anew (trigger file and all) */
        int s = listen_attach();
        int c = accept(s, NULL, NULL);
        if (c >= 0) {
            serve(c, mode);
            close(c);
        }
        close(s);
        char sock[64];
        snprintf(sock, sizeof sock, "/tmp/.java_pid%d", (int)getpid());
        unlink(sock);
    }
}
