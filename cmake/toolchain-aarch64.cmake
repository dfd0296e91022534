# Cross-building threadlens for aarch64 Linux on a Debian host:
#   scripts/install-arm64-deps.sh
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake
# The compiler is Debian's gcc-aarch64-linux-gnu; the libraries are the ":arm64" -dev packages
# installed next to the host's (multiarch), found through their pkg-config files only.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(TL_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${TL_CROSS_TRIPLE}-gcc)
set(CMAKE_AR ${TL_CROSS_TRIPLE}-ar CACHE FILEPATH "cross ar")
set(CMAKE_RANLIB ${TL_CROSS_TRIPLE}-ranlib CACHE FILEPATH "cross ranlib")
set(CMAKE_STRIP ${TL_CROSS_TRIPLE}-strip CACHE FILEPATH "cross strip")

# Programs (pkg-config, code generators) come from the host; libraries and headers from arm64.
set(CMAKE_FIND_ROOT_PATH /usr/${TL_CROSS_TRIPLE} /usr/lib/${TL_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_LIBRARY_ARCHITECTURE ${TL_CROSS_TRIPLE})

# pkg-config must see only the arm64 .pc files, never the host's (x86_64) ones.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${TL_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")

# Binaries built here cannot run on the host; try_run and tests use this (qemu-user cannot
# ptrace, so tests run in a VM: tests/vm/run.sh).
set(CMAKE_CROSSCOMPILING_EMULATOR "")
