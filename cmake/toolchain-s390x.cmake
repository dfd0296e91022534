# Cross-building threadlens for s390x (IBM Z, big-endian) Linux on a Debian host:
#   scripts/install-cross-deps.sh s390x
#   cmake -S . -B build-s390x -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-s390x.cmake
# The libraries come from a private sysroot (scripts/cross-sysroot.sh: Debian 12 cannot
# co-install s390x -dev packages next to the host's security-updated ones).
set(TL_CROSS_TRIPLE s390x-linux-gnu)
set(TL_CROSS_PROCESSOR s390x)
set(TL_CROSS_MAKE_NAME s390x)
if(DEFINED ENV{TL_S390X_SYSROOT})
  set(TL_CROSS_SYSROOT $ENV{TL_S390X_SYSROOT})
else()
  get_filename_component(TL_CROSS_SYSROOT "${CMAKE_CURRENT_LIST_DIR}/../build-s390x-sysroot" ABSOLUTE)
endif()
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-linux-cross.cmake)
