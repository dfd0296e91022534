/* Second link of the named call chain. */
#include "demo.h"

static volatile int demo_tokens;

__attribute__((noinline)) int demo_parse(int request)
{
    int r = demo_wait_for_io(request);
    demo_tokens = demo_tokens + r;   /* work after the call: no tail call */
    return r;
}
