# The libraries tests/targets/module_user maps (tests/target_libs): the same path holds the
# container's library in one mount namespace and the host's in another (test_hazard_modules).
foreach(lib park_container park_host)
  add_library(${lib} SHARED ${CMAKE_CURRENT_SOURCE_DIR}/target_libs/${lib}.c)
  target_compile_options(${lib} PRIVATE -O1 -g -fno-optimize-sibling-calls -fno-inline)
  set_target_properties(${lib} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/targets PREFIX "lib")
endforeach()
target_link_libraries(module_user PRIVATE ${CMAKE_DL_LIBS})
