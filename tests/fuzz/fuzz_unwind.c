/* The offline unwinder and the symbolizer fed arbitrary registers and stack bytes, as a
 * hostile target could craft them: the "target" is this process (its real maps and modules),
 * the captured registers and stack copy come from the fuzzer. Every read outside the copy goes
 * through process_vm_readv, so a wild address fails cleanly instead of faulting. */
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "platform/linux/stacks_linux.h"
#include "platform/platform.h"

#define MAX_FRAMES 64

static platform_stacks *stacks;

static int setup(void)
{
    if (stacks)
        return 0;
    if (platform_stacks_open(&stacks, NULL) != TL_OK)
        return -1;
    return platform_stacks_begin(stacks, getpid(), 64 * 1024, NULL) == TL_OK ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    capture *c;
    if (setup() != 0 || size < sizeof c->regs.words + sizeof c->base)
        return 0;
    c = &stacks->cap;
    memcpy(c->regs.words, data, sizeof c->regs.words);
    c->regs.len = sizeof c->regs.words;
    memcpy(&c->base, data + sizeof c->regs.words, sizeof c->base);
    size_t head = sizeof c->regs.words + sizeof c->base;
    unsigned char *own_buf = c->buf;
    c->buf = (unsigned char *)(uintptr_t)(data + head);
    c->len = size - head;
    c->tid = getpid();
    c->valid = true;
    tl_frame frames[MAX_FRAMES];
    memset(frames, 0, sizeof frames);
    size_t n = 0;
    bool truncated = false;
    tl_error err;
    if (platform_unwind(stacks, frames, MAX_FRAMES, &n, &truncated, &err) == TL_OK && n <= MAX_FRAMES)
        platform_symbolize(stacks, frames, n, &err);
    for (size_t i = 0; i < n && i < MAX_FRAMES; i++)
        frame_clear(&frames[i]);
    c->buf = own_buf;   /* the fuzzer's bytes are not the capture's to keep */
    c->len = 0;
    c->valid = false;
    return 0;
}
