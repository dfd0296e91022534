/* Every thread of a process in uninterruptible sleep (D) on a FUSE file whose daemon is
 * stopped: the daily "hung network/FUSE client". Usage: hang_fuse MOUNTPOINT (an empty
 * directory). A child "tl-fusedaemon" serves /hang (1 MiB of zeros) on it; the target opens
 * the file, stops the daemon (SIGSTOP), and its 4 threads ("hf-reader-1..3" and the main
 * thread "tl-hangfuse") pread it: each sleeps in D in the page cache, waiting for a read the
 * daemon never answers. Prints "daemon PID", then "ready" once the 3 readers are in D (the
 * main thread follows at once). Exits 77 with the reason when FUSE cannot be mounted here.
 * The daemon dies with the target (PDEATHSIG); the test unmounts (fusermount3 -u -z). */
#define FUSE_USE_VERSION 31
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "../tl_target.h"

#ifndef TL_HAVE_FUSE3
int main(void)
{
    printf("SKIP: built without libfuse3 (apt-get install libfuse3-dev fuse3, then rebuild)\n");
    return 77;
}
#else
#include <fuse.h>
#include <sys/wait.h>
#include <time.h>

#define FILE_SIZE (1 << 20)
#define NREADERS 3

static int hf_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
    (void)fi;
    memset(st, 0, sizeof *st);
    if (strcmp(path, "/") == 0) {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = 2;
        return 0;
    }
    if (strcmp(path, "/hang") != 0)
        return -ENOENT;
    st->st_mode = S_IFREG | 0444;
    st->st_nlink = 1;
    st->st_size = FILE_SIZE;
    return 0;
}

static int hf_open(const char *path, struct fuse_file_info *fi)
{
    (void)fi;
    return strcmp(path, "/hang") == 0 ? 0 : -ENOENT;
}

static int hf_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
    (void)path, (void)fi;
    if (off >= FILE_SIZE)
        return 0;
    size_t n = (size_t)(FILE_SIZE - off) < size ? (size_t)(FILE_SIZE - off) : size;
    memset(buf, 0, n);
    return (int)n;
}

static const struct fuse_operations hf_ops = {.getattr = hf_getattr, .open = hf_open, .read = hf_read};

static int daemon_main(const char *mnt)
{
    prctl(PR_SET_NAME, "tl-fusedaemon");
    char *argv[] = {"tl-fusedaemon", "-f", "-s", "-o", "auto_unmount", (char *)mnt, NULL};
    return fuse_main(6, argv, &hf_ops, NULL);
}

static int fd;

static void hf_read_page(void)
{
    char buf[4096];
    if (pread(fd, buf, sizeof buf, 0) < 0)
        target_die("pread", errno);
}

static void *hf_reader(void *arg)
{
    char name[16];
    snprintf(name, sizeof name, "hf-reader-%d", (int)(intptr_t)arg);
    pthread_setname_np(pthread_self(), name);
    hf_read_page();
    return NULL;
}

static int count_d(void)
{
    int n = 0;
    char path[300], buf[512];
    DIR *d = opendir("/proc/self/task");
    for (struct dirent *de; d && (de = readdir(d));) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "/proc/self/task/%s/stat", de->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = '\0';
        const char *p = strrchr(buf, ')');
        n += p && p[1] == ' ' && p[2] == 'D';
    }
    if (d)
        closedir(d);
    return n;
}

static void sleep_ms(long ms)
{
    nanosleep(&(struct timespec){.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L}, NULL);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: hang_fuse MOUNTPOINT\n");
        return 2;
    }
    prctl(PR_SET_NAME, "tl-hangfuse");
    if (access("/dev/fuse", R_OK | W_OK) != 0) {
        printf("SKIP: /dev/fuse is not available here (%s)\n", strerror(errno));
        return 77;
    }
    pid_t parent = getpid();
    pid_t daemon = fork();
    if (daemon < 0)
        target_die("fork", errno);
    if (daemon == 0) {
        target_follow_parent(parent);
        _exit(daemon_main(argv[1]));
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/hang", argv[1]);
    struct stat st;
    for (int i = 0; i < 500 && (stat(path, &st) != 0 || st.st_size != FILE_SIZE); i++) {
        if (waitpid(daemon, NULL, WNOHANG) == daemon) {
            printf("SKIP: the FUSE daemon could not mount %s (no FUSE mounts here?)\n", argv[1]);
            return 77;
        }
        sleep_ms(10);
    }
    if (stat(path, &st) != 0 || st.st_size != FILE_SIZE)
        target_die("the FUSE file did not appear", ETIMEDOUT);
    fd = open(path, O_RDONLY);
    if (fd < 0)
        target_die("open", errno);
    printf("daemon %d\n", (int)daemon);
    fflush(stdout);
    kill(daemon, SIGSTOP);
    for (int i = 0; i < 500; i++) {   /* the daemon must be stopped before anyone reads */
        char sp[64], sbuf[512];
        snprintf(sp, sizeof sp, "/proc/%d/stat", (int)daemon);
        FILE *f = fopen(sp, "r");
        size_t len = f ? fread(sbuf, 1, sizeof sbuf - 1, f) : 0;
        if (f)
            fclose(f);
        sbuf[len] = '\0';
        const char *p = strrchr(sbuf, ')');
        if (p && p[1] == ' ' && p[2] == 'T')
            break;
        sleep_ms(10);
    }
    pthread_t t;
    for (int i = 1; i <= NREADERS; i++) {
        int e = pthread_create(&t, NULL, hf_reader, (void *)(intptr_t)i);
        if (e)
            target_die("pthread_create", e);
    }
    for (int i = 0; i < 500 && count_d() < NREADERS; i++)
        sleep_ms(10);
    if (count_d() < NREADERS)
        target_die("the readers did not go into D", ETIMEDOUT);
    target_ready();
    hf_read_page();
    target_wait_forever();
}
#endif
