/* A FUSE file system with one file, "data" (1 MiB of a byte pattern), for test_hazard_fuse:
 * the test maps it in a target, then stops this daemon (SIGSTOP): from then on every read of
 * a page of that file that is not cached waits for the daemon, uninterruptibly.
 * Usage: hazard_fuse MOUNTPOINT (runs in the foreground, single-threaded). */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fuse.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define DATA_SIZE (1024 * 1024)

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
    (void)fi;
    memset(st, 0, sizeof *st);
    if (strcmp(path, "/") == 0) {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = 2;
        return 0;
    }
    if (strcmp(path, "/data") != 0)
        return -ENOENT;
    st->st_mode = S_IFREG | 0644;
    st->st_nlink = 1;
    st->st_size = DATA_SIZE;
    return 0;
}

static int fs_open(const char *path, struct fuse_file_info *fi)
{
    (void)fi;
    return strcmp(path, "/data") == 0 ? 0 : -ENOENT;
}

static int fs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
    (void)path, (void)fi;
    if (off >= DATA_SIZE)
        return 0;
    size_t n = (size_t)(DATA_SIZE - off) < size ? (size_t)(DATA_SIZE - off) : size;
    memset(buf, 0x5a, n);
    return (int)n;
}

static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off, struct fuse_file_info *fi,
                      enum fuse_readdir_flags flags)
{
    (void)off, (void)fi, (void)flags;
    if (strcmp(path, "/") != 0)
        return -ENOENT;
    fill(buf, ".", NULL, 0, 0);
    fill(buf, "..", NULL, 0, 0);
    fill(buf, "data", NULL, 0, 0);
    return 0;
}

static const struct fuse_operations ops = {
    .getattr = fs_getattr,
    .open = fs_open,
    .read = fs_read,
    .readdir = fs_readdir,
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: hazard_fuse MOUNTPOINT\n");
        return 2;
    }
    char *args[] = {argv[0], "-f", "-s", "-o", "allow_other", argv[1], NULL};
    return fuse_main(6, args, &ops, NULL);
}
