# Stack tests: the same known call chains built with and without frame pointers, so both the
# DWARF (.eh_frame) unwinder and the frame-pointer walk are exercised. No sibling-call
# optimisation: every function of the chain must keep its frame.
set(TL_STACKS_FLAGS -O2 -g -fno-optimize-sibling-calls -fno-inline)
target_compile_options(stacks_chain PRIVATE ${TL_STACKS_FLAGS} -fno-omit-frame-pointer)
file(GLOB TL_STACKS_CHAIN_SRCS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/targets/stacks_chain/*.c)
add_executable(stacks_chain_nofp ${TL_STACKS_CHAIN_SRCS})
target_link_libraries(stacks_chain_nofp PRIVATE Threads::Threads)
target_compile_options(stacks_chain_nofp PRIVATE ${TL_STACKS_FLAGS} -fomit-frame-pointer)
set_target_properties(stacks_chain_nofp PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/targets)
target_compile_options(zombie_leader PRIVATE ${TL_STACKS_FLAGS})
target_compile_options(zs_waker PRIVATE ${TL_STACKS_FLAGS} -fomit-frame-pointer)
