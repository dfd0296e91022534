/* A stripped program (tests/integration/test_stacks_debuginfod.sh): its functions are static,
 * so once stripped (tests/targets/debuginfod.cmake) they are in no symbol table of the file;
 * only its separate debug file, served by debuginfod, names them. The main thread sleeps in
 * stripped_outer -> stripped_middle -> stripped_leaf -> pause. Prints "ready". */
#include <stdio.h>
#include <unistd.h>

static volatile int depth;

static __attribute__((noinline)) void stripped_leaf(void)
{
    for (;;)
        pause();
}

static __attribute__((noinline)) void stripped_middle(void)
{
    depth++;
    stripped_leaf();
    depth++;
}

static __attribute__((noinline)) void stripped_outer(void)
{
    depth++;
    stripped_middle();
    depth++;
}

int main(void)
{
    puts("ready");
    fflush(stdout);
    stripped_outer();
    return 0;
}
