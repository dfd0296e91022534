/* PLACEHOLDER until the live view lands. */
#include "cli.h"

int cmd_top(int argc, char **argv)
{
    (void)argc, (void)argv;
    return cli_fail("top", EXIT_FAILED, "the live view is not built yet; use threadlens dump");
}
