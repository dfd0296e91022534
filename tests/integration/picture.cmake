# The picture's tests need a tool that counts the thread markers in a PNG (tests/tools).
if(TARGET threadlens_picture)
  add_executable(png_markers ${PROJECT_SOURCE_DIR}/tests/tools/png_markers.c)
  target_link_libraries(png_markers PRIVATE PkgConfig::CAIRO)
  set_target_properties(png_markers PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/targets)
endif()
# The layout, on made-up address spaces (cmocka; in a folder of its own: it needs the picture).
if(TARGET threadlens_picture AND CMOCKA_FOUND)
  add_executable(test_picture_layout ${PROJECT_SOURCE_DIR}/tests/unit/picture/test_picture_layout.c)
  target_include_directories(test_picture_layout PRIVATE ${PROJECT_SOURCE_DIR}/src/picture)
  target_link_libraries(test_picture_layout PRIVATE threadlens_picture PkgConfig::CMOCKA)
  add_test(NAME unit.test_picture_layout COMMAND test_picture_layout)
  set_tests_properties(unit.test_picture_layout PROPERTIES TIMEOUT 60)
endif()
