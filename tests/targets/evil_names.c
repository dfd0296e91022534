/* Target-written text that must never reach a terminal raw, and must stay valid JSON:
 *   process (main thread) name: an OSC "set window title" sequence ending in BEL
 *   thread names: ESC colour sequence, invalid UTF-8, a C1 CSI (U+009B in UTF-8), DEL and a
 *   backslash, a newline followed by a fake thread line, and a valid UTF-8 Chinese name that
 *   must print as is.
 * The command line: on start the program re-executes itself with a long argument list full of
 * control bytes (ESC, BEL, CR, LF, TAB), invalid UTF-8 and Chinese. */
#include <errno.h>

#include "tl_target.h"

#define LONG_ARGS 400
#define REEXEC_MARK "--tl-reexeced"

static void reexec_with_long_cmdline(const char *self)
{
    static char *argv[LONG_ARGS + 3];
    static char bufs[LONG_ARGS][48];
    argv[0] = (char *)self;
    argv[1] = REEXEC_MARK;
    for (int i = 0; i < LONG_ARGS; i++) {
        snprintf(bufs[i], sizeof bufs[i], "\x1b[31marg%d\x07\r\n\t\xff\xfe\xe4\xb8\xad", i);
        argv[i + 2] = bufs[i];
    }
    argv[LONG_ARGS + 2] = NULL;
    execv("/proc/self/exe", argv);
    target_die("execv /proc/self/exe", errno);
}

int main(int argc, char **argv)
{
    static const char *const names[] = {
        "\x1b[31mred",            /* ESC [ 3 1 m r e d: 8 bytes */
        "bad\xff\xfeutf8",        /* invalid UTF-8 */
        ("\xc2\x9b" "31mc1"),     /* C1 CSI as UTF-8, then "31mc1" */
        "del\x7f\\back",          /* DEL and a backslash */
        "\xe5\xb7\xa5\xe4\xbd\x9c\xe7\xba\xbf\xe7\xa8\x8b", /* 工作线程: 12 bytes */
        "a\n\"forged\" #9",      /* a newline that would forge a thread line */
    };
    if (argc < 2 || strcmp(argv[1], REEXEC_MARK) != 0)
        reexec_with_long_cmdline(argv[0]);
    prctl(PR_SET_NAME, "\x1b]0;pwned\x07");
    target_start_sleepers(names, sizeof names / sizeof names[0]);
    target_ready();
    target_wait_forever();
}
