# The shared part of the cross toolchain files (toolchain-s390x.cmake, toolchain-ppc64le.cmake):
# they set TL_CROSS_TRIPLE, TL_CROSS_PROCESSOR and, where the libraries come from a private
# sysroot instead of multiarch packages, TL_CROSS_SYSROOT (scripts/cross-sysroot.sh).
# The compiler is Debian's gcc-<triple>; the libraries are found through pkg-config files only.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${TL_CROSS_PROCESSOR})

set(CMAKE_C_COMPILER ${TL_CROSS_TRIPLE}-gcc)
set(CMAKE_AR ${TL_CROSS_TRIPLE}-ar CACHE FILEPATH "cross ar")
set(CMAKE_RANLIB ${TL_CROSS_TRIPLE}-ranlib CACHE FILEPATH "cross ranlib")
set(CMAKE_STRIP ${TL_CROSS_TRIPLE}-strip CACHE FILEPATH "cross strip")
set(CMAKE_LIBRARY_ARCHITECTURE ${TL_CROSS_TRIPLE})

# Programs (pkg-config, code generators) come from the host; libraries and headers from the
# target architecture.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

set(ENV{PKG_CONFIG_PATH} "")
if(TL_CROSS_SYSROOT)
  if(NOT EXISTS "${TL_CROSS_SYSROOT}/.complete")
    message(FATAL_ERROR "no ${TL_CROSS_PROCESSOR} sysroot at ${TL_CROSS_SYSROOT}: run "
                        "scripts/install-cross-deps.sh first (make build-${TL_CROSS_MAKE_NAME})")
  endif()
  set(CMAKE_SYSROOT ${TL_CROSS_SYSROOT})
  set(CMAKE_FIND_ROOT_PATH ${TL_CROSS_SYSROOT})
  set(ENV{PKG_CONFIG_LIBDIR}
      "${TL_CROSS_SYSROOT}/usr/lib/${TL_CROSS_TRIPLE}/pkgconfig:${TL_CROSS_SYSROOT}/usr/share/pkgconfig")
  set(ENV{PKG_CONFIG_SYSROOT_DIR} "${TL_CROSS_SYSROOT}")
  # libdw's and libunwind's own dependencies (libz, liblzma, ...) are resolved at link time
  # inside the sysroot too.
  set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,-rpath-link,${TL_CROSS_SYSROOT}/usr/lib/${TL_CROSS_TRIPLE}")
else()
  set(CMAKE_FIND_ROOT_PATH /usr/${TL_CROSS_TRIPLE} /usr/lib/${TL_CROSS_TRIPLE})
  # pkg-config must see only the target's .pc files, never the host's (x86_64) ones.
  set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${TL_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig")
  set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
endif()

# Binaries built here cannot run on the host; qemu-user cannot ptrace, so tests run in a VM
# (tests/vm/run.sh).
set(CMAKE_CROSSCOMPILING_EMULATOR "")
