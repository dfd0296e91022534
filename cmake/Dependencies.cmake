# Every dependency through pkg-config; a missing one fails with the Debian package to install.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

function(tl_require prefix module debian_package why)
  pkg_check_modules(${prefix} IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${prefix}_FOUND)
    message(FATAL_ERROR
      "threadlens needs ${module} (${why}). On Debian/Ubuntu: sudo apt-get install ${debian_package}"
      " (or run: make deps)")
  endif()
endfunction()

tl_require(JANSSON jansson libjansson-dev "JSON output")
if(NOT THREADLENS_PLATFORM STREQUAL "unsupported")
  tl_require(LIBPROC2 libproc2 libproc2-dev "per-thread counters from /proc")
  tl_require(LIBUNWIND_PTRACE libunwind-ptrace libunwind-dev "unwinding native stacks")
  tl_require(LIBDW libdw libdw-dev "naming frames from ELF/DWARF")
  tl_require(LIBSECCOMP libseccomp libseccomp-dev "system call names for every architecture")
endif()
tl_require(MICROHTTPD libmicrohttpd libmicrohttpd-dev "the HTTP endpoint of threadlens metrics --listen")
if(THREADLENS_UI)
  tl_require(NCURSESW ncursesw libncurses-dev "the live view, threadlens top")
endif()
if(BUILD_TESTING OR NOT DEFINED BUILD_TESTING)
  pkg_check_modules(CMOCKA IMPORTED_TARGET GLOBAL cmocka)
endif()
