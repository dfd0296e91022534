#include "threadlens/format.h"

#ifndef THREADLENS_VERSION
#error "THREADLENS_VERSION comes from CMakeLists.txt"
#endif

const char *threadlens_version(void)
{
    return THREADLENS_VERSION;
}
