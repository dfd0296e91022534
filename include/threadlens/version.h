/* What build this is: threadlens --version. */
#ifndef THREADLENS_VERSION_H
#define THREADLENS_VERSION_H

/* `git describe --always --dirty` of the source tree at configure time, "" when it was not
 * built from a git work tree (a release tarball, a Debian package build). */
const char *threadlens_git_describe(void);

#endif
