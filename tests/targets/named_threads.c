/* Named threads: the main thread "tl-named-main" and four sleepers "tl-worker-1".."tl-worker-4".
 * No child process (see family.c for that). */
#include <errno.h>

#include "tl_target.h"

int main(void)
{
    static const char *const names[] = {"tl-worker-1", "tl-worker-2", "tl-worker-3", "tl-worker-4"};
    prctl(PR_SET_NAME, "tl-named-main");
    target_start_sleepers(names, sizeof names / sizeof names[0]);
    target_ready();
    target_wait_forever();
}
