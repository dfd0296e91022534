# The picture's tests need a tool that counts the thread markers in a PNG (tests/tools).
if(TARGET threadlens_picture)
  add_executable(png_markers ${PROJECT_SOURCE_DIR}/tests/tools/png_markers.c)
  target_link_libraries(png_markers PRIVATE PkgConfig::CAIRO)
  set_target_properties(png_markers PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/targets)
endif()
