/* The futex-word decoder (waits_futex_decode): the words around a futex are the target's
 * memory, so anything. Input: the 72 window bytes, then the futex op (4 bytes), the expected
 * value (4), the low byte of the address (its alignment picks the condvar group and rwlock
 * word), a flags byte (bit 0 timed, bit 1 the bytes before the word were readable) and two
 * "live" TIDs (4 each). Missing bytes are zero. */
#include <string.h>

#include "waits_futex.h"

typedef struct fuzz_in {
    unsigned char window[FUTEX_WINDOW_BEFORE + FUTEX_WINDOW_AFTER];
    uint32_t op, val;
    uint8_t addr_low, flags;
    int32_t live[2];
} fuzz_in;

static bool is_live(int tid, void *arg)
{
    const fuzz_in *in = arg;
    return tid == in->live[0] || tid == in->live[1];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in;
    unsigned char raw[sizeof in.window + 4 + 4 + 1 + 1 + 8] = {0};
    memcpy(raw, data, size < sizeof raw ? size : sizeof raw);
    size_t at = 0;
    memcpy(in.window, raw, sizeof in.window), at += sizeof in.window;
    memcpy(&in.op, raw + at, 4), at += 4;
    memcpy(&in.val, raw + at, 4), at += 4;
    in.addr_low = raw[at++];
    in.flags = raw[at++];
    memcpy(in.live, raw + at, 8);

    tl_syscall sc = {.valid = true, .nr = 202, .name = "futex"};
    sc.args[0] = 0x7f0000001000ull | in.addr_low;
    sc.args[1] = in.op;
    sc.args[2] = in.val;
    sc.args[3] = (in.flags & 1) ? 0x7ffd0000 : 0;
    platform_call call;
    platform_decode_call(&sc, "futex_wait_queue", &call);
    futex_window win = {.addr = call.addr, .before_ok = (in.flags & 2) != 0, .big_endian = (in.flags & 4) != 0};
    memcpy(win.bytes, in.window, sizeof win.bytes);
    futex_decode_env env = {.is_live = is_live, .arg = &in};
    futex_found f;
    waits_futex_decode(&win, &call, &env, &f);
    /* what it says must stay inside what it was given */
    if (f.what == NULL || (f.kind != TL_WAIT_FUTEX && f.base > win.addr) || win.addr - f.base > FUTEX_WINDOW_BEFORE)
        __builtin_trap();
    return 0;
}
