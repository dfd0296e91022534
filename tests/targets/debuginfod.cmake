# The debuginfod test's target: built with -g, its debug part kept in debuginfod/stripped_chain.debug
# (objcopy --only-keep-debug) for a local debuginfod server, and the program itself stripped.
target_compile_options(stripped_chain PRIVATE -O1 -g -fno-optimize-sibling-calls -fno-inline)
target_link_options(stripped_chain PRIVATE -Wl,--build-id)
# CMake's own objcopy is the target's (aarch64-linux-gnu-objcopy in a cross build): the host's
# cannot read a foreign ELF
if(CMAKE_OBJCOPY)
  set(TL_OBJCOPY ${CMAKE_OBJCOPY})
else()
  find_program(TL_OBJCOPY NAMES objcopy)
endif()
add_custom_command(TARGET stripped_chain POST_BUILD
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/targets/debuginfod
  COMMAND ${TL_OBJCOPY} --only-keep-debug $<TARGET_FILE:stripped_chain>
          ${CMAKE_BINARY_DIR}/targets/debuginfod/stripped_chain.debug
  COMMAND ${TL_OBJCOPY} --strip-all $<TARGET_FILE:stripped_chain>
  VERBATIM)
