# test_hazard_fuse's daemon (tests/target_libs/hazard_fuse.c), built when libfuse3 is there
# (scripts/install-deps.sh installs it; the test skips without it).
pkg_check_modules(TL_FUSE3 QUIET IMPORTED_TARGET fuse3)
if(TL_FUSE3_FOUND)
  add_executable(hazard_fuse ${CMAKE_CURRENT_SOURCE_DIR}/target_libs/hazard_fuse.c)
  target_link_libraries(hazard_fuse PRIVATE PkgConfig::TL_FUSE3)
  set_target_properties(hazard_fuse PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/targets)
endif()
