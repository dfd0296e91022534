/* First link of the named call chain. */
#include "demo.h"

static volatile int demo_requests_done;

__attribute__((noinline)) int demo_handle_request(int request)
{
    int r = demo_parse(request);
    demo_requests_done = demo_requests_done + 1;   /* work after the call: no tail call */
    return r;
}
