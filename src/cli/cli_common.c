#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/wait.h>

#include "cli.h"

static bool parse_decimal(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || !*s)
        return false;
    unsigned long long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (unsigned)(*p - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

bool cli_parse_pid(const char *s, int *pid)
{
    unsigned long long v;
    if (!parse_decimal(s, INT_MAX, &v) || v == 0)
        return false;
    *pid = (int)v;
    return true;
}

bool cli_parse_count(const char *s, unsigned max, unsigned *out)
{
    unsigned long long v;
    if (!parse_decimal(s, max, &v) || v == 0)
        return false;
    *out = (unsigned)v;
    return true;
}

int cli_fail(const char *cmd, int code, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "threadlens %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

int cli_exit_code(tl_status st)
{
    switch (st) {
    case TL_OK: return EXIT_COMPLETE;
    case TL_PARTIAL: return EXIT_PARTIAL;
    default: return EXIT_FAILED;
    }
}

int cli_run_on_pid(int (*cmd)(int, char **), const char *word, int argc, char **argv, int pid)
{
    char pidarg[16], verb[16];
    snprintf(pidarg, sizeof pidarg, "%d", pid);
    snprintf(verb, sizeof verb, "%s", word);
    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (!args)
        return cli_fail(word, EXIT_FAILED, "out of memory");
    args[0] = verb;
    for (int i = 1; i < argc; i++)
        args[i] = argv[i];
    args[argc] = pidarg;
    int rc = cmd(argc + 1, args);
    free(args);
    return rc;
}

void cli_kill_child(int pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}
