# Cross-building threadlens for ppc64el (POWER, little-endian, ELFv2) Linux on a Debian host:
#   scripts/install-cross-deps.sh ppc64el
#   cmake -S . -B build-ppc64el -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-ppc64le.cmake
# The libraries are the ":ppc64el" -dev packages installed next to the host's (multiarch).
set(TL_CROSS_TRIPLE powerpc64le-linux-gnu)
set(TL_CROSS_PROCESSOR ppc64le)
set(TL_CROSS_MAKE_NAME ppc64el)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-linux-cross.cmake)
