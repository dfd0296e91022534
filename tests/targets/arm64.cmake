# aarch64 builds of the vm_chains target (tests/vm/ boots them in a VM):
# - vm_chains is built without branch protection, whatever the compiler's default, because
#   libunwind 1.6.2 cannot step through frames whose CFI toggles the return-address signing
#   state (DW_CFA_AARCH64_negate_ra_state);
# - vm_chains_pac is the same program built with -mbranch-protection=standard: on a CPU with
#   pointer authentication (qemu -cpu max) its saved return addresses are signed.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  target_compile_options(vm_chains PRIVATE -mbranch-protection=none)
  file(GLOB TL_VM_CHAINS_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/targets/vm_chains/*.c)
  add_executable(vm_chains_pac ${TL_VM_CHAINS_SOURCES})
  target_compile_options(vm_chains_pac PRIVATE -mbranch-protection=standard)
  target_link_libraries(vm_chains_pac PRIVATE Threads::Threads)
  set_target_properties(vm_chains_pac PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/targets)
endif()
# vm_chains_static: linked statically (libunwind 1.6.2 finds no unwind tables in a static aarch64
# binary without .eh_frame_hdr: docs/arm64.md). Not in sanitizer builds: ASan cannot be static.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$" AND NOT THREADLENS_SANITIZE)
  add_executable(vm_chains_static ${TL_VM_CHAINS_SOURCES})
  target_compile_options(vm_chains_static PRIVATE -mbranch-protection=none)
  target_link_options(vm_chains_static PRIVATE -static)
  target_link_libraries(vm_chains_static PRIVATE Threads::Threads)
  set_target_properties(vm_chains_static PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/targets)
endif()
