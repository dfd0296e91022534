#include <inttypes.h>

#include "text_parts.h"
#include "threadlens/escape.h"

void text_wait(FILE *out, const tl_thread *t)
{
    if (t->wait.kind == TL_WAIT_NONE || !t->wait.description)
        return;
    fputs("   waiting on: ", out);
    escape_fputs(t->wait.description, out);
    fputc('\n', out);
}

void text_deadlocks(FILE *out, const tl_snapshot *s)
{
    (void)out;
    (void)s;
}
