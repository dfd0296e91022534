#include "threadlens/format.h"

#ifndef THREADLENS_VERSION
#error "THREADLENS_VERSION comes from CMakeLists.txt"
#endif

const char *threadlens_version(void)
{
    return THREADLENS_VERSION;
}

#include "threadlens/version.h"

#ifndef THREADLENS_GIT_DESCRIBE
#define THREADLENS_GIT_DESCRIBE ""
#endif

const char *threadlens_git_describe(void)
{
    return THREADLENS_GIT_DESCRIBE;
}
