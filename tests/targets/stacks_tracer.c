/* A stand-in for another debugger: PTRACE_SEIZEs every thread of PID (argument 1) and keeps
 * them (running) until killed. Prints "ready" once it traces them all. Exiting detaches. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return fprintf(stderr, "usage: %s PID\n", argv[0]), 64;
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/task", argv[1]);
    DIR *d = opendir(path);
    if (!d)
        return perror(path), 1;
    struct dirent *e;
    int traced = 0;
    while ((e = readdir(d)) != NULL) {
        int tid = atoi(e->d_name);
        if (tid > 0 && ptrace(PTRACE_SEIZE, tid, NULL, NULL) == 0)
            traced++;
    }
    closedir(d);
    if (traced == 0)
        return fprintf(stderr, "could not trace any thread of %s\n", argv[1]), 1;
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
}
