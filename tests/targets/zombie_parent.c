/* A zombie: the parent "tl-zparent" forks a child that exits at once and never reaps it.
 * Prints "zombie PID" (the zombie's PID) and then "ready". The zombie goes when the parent is
 * killed (init reaps it). */
#include <errno.h>
#include <time.h>

#include "tl_target.h"

#define ZOMBIE_POLL_MS 10
#define ZOMBIE_POLL_MAX 500

/* The child's state letter from /proc/PID/stat, or 0. */
static char state_of(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *close_paren = strrchr(buf, ')');
    return close_paren && close_paren[1] == ' ' ? close_paren[2] : 0;
}

int main(void)
{
    prctl(PR_SET_NAME, "tl-zparent");
    pid_t c = fork();
    if (c < 0)
        target_die("fork", errno);
    if (c == 0) {
        prctl(PR_SET_NAME, "tl-zombie");
        _exit(0);
    }
    for (int i = 0; i < ZOMBIE_POLL_MAX && state_of(c) != 'Z'; i++)
        nanosleep(&(struct timespec){.tv_nsec = ZOMBIE_POLL_MS * 1000000L}, NULL);
    if (state_of(c) != 'Z')
        target_die("the child did not become a zombie", EAGAIN);
    printf("zombie %d\n", (int)c);
    target_ready();
    target_wait_forever();
}
