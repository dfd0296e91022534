/* PLACEHOLDER until the native-stacks work lands: takes no stacks. */
#include "stacks.h"

#include <stdlib.h>

struct stacks_ctx {
    int unused;
};

tl_status stacks_open(stacks_ctx **out, tl_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? TL_OK : tl_error_set(err, TL_ENOMEM, "out of memory");
}

void stacks_close(stacks_ctx *ctx)
{
    free(ctx);
}

tl_status stacks_take(stacks_ctx *ctx, tl_snapshot *s, const tl_sampler_options *o, tl_error *err)
{
    (void)ctx, (void)s, (void)o, (void)err;
    return TL_OK;
}
