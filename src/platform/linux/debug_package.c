/* Which Debian package holds a module file, for the hint on mostly-unnamed frames: one
 * `dpkg-query -S -- PATH` (no shell; the path, which the target chose, is one argument), its
 * answer read within DPKG_DEADLINE_MS or the child killed. Answers are kept for threadlens's
 * life, and at most DPKG_LOOKUPS_MAX lookups are made at all (each costs ~0.1-0.5 s). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "platform/platform.h"

#define DPKG_DEADLINE_MS 2000
#define DPKG_LOOKUPS_MAX 16
#define DPKG_ANSWER_MAX 512

extern char **environ;

typedef struct dpkg_answer {
    char path[256];
    char pkg[96];   /* "" = no package holds it */
} dpkg_answer;

static dpkg_answer answers[DPKG_LOOKUPS_MAX];
static size_t nanswers;

static long ms_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* The first line of the child's output, read until EOF or the deadline. */
static size_t read_answer(int fd, char *buf, size_t cap)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t n = 0;
    for (;;) {
        long left = DPKG_DEADLINE_MS - ms_since(&t0);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || n + 1 >= cap || poll(&p, 1, (int)left) <= 0)
            break;
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    return n;
}

/* "pkg:arch: /path" or "pkg1, pkg2: /path" -> "pkg". */
static void package_of(const char *line, char *pkg, size_t cap)
{
    size_t len = strcspn(line, ":, \n");
    if (line[len] != ':' && line[len] != ',')
        len = 0;
    snprintf(pkg, cap, "%.*s", (int)len, line);
}

static void ask_dpkg(const char *path, char *pkg, size_t cap)
{
    pkg[0] = '\0';
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    char *argv[] = {"dpkg-query", "-S", "--", (char *)path, NULL};
    pid_t child;
    int rc = posix_spawnp(&child, "dpkg-query", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return;
    }
    char out[DPKG_ANSWER_MAX];
    read_answer(fds[0], out, sizeof out);
    close(fds[0]);
    kill(child, SIGKILL);   /* done or late: either way it has nothing more to say */
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        package_of(out, pkg, cap);
}

bool platform_debug_package(const char *path, char *pkg, size_t cap)
{
    if (!path || path[0] != '/' || strlen(path) >= sizeof answers[0].path || cap == 0)
        return false;
    for (size_t i = 0; i < nanswers; i++)
        if (strcmp(answers[i].path, path) == 0) {
            snprintf(pkg, cap, "%s", answers[i].pkg);
            return pkg[0] != '\0';
        }
    if (nanswers == DPKG_LOOKUPS_MAX)
        return false;
    dpkg_answer *a = &answers[nanswers++];
    snprintf(a->path, sizeof a->path, "%s", path);
    ask_dpkg(path, a->pkg, sizeof a->pkg);
    snprintf(pkg, cap, "%s", a->pkg);
    return pkg[0] != '\0';
}
