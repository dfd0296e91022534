# The picture's tests need a tool that counts the thread markers in a PNG (tests/tools).
if(TARGET threadlens_picture)
  add_executable(png_markers ${PROJECT_SOURCE_DIR}/tests/tools/png_markers.c)
  target_link_libraries(png_markers PRIVATE PkgConfig::CAIRO)
  set_target_properties(png_markers PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/targets)
endif()
# The layout, on made-up address spaces (cmocka; in a folder of its own: it needs the picture).
if(TARGET threadlens_picture AND CMOCKA_FOUND)
  foreach(name test_picture_layout test_picture_svg)
    add_executable(${name} ${PROJECT_SOURCE_DIR}/tests/unit/picture/${name}.c)
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src/picture)
    target_link_libraries(${name} PRIVATE threadlens_picture threadlens_core PkgConfig::CMOCKA)
    add_test(NAME unit.${name} COMMAND ${name})
    # under ASan: fontconfig's process-lifetime font set is not ours (ui_lsan.supp says why)
    set_tests_properties(unit.${name} PROPERTIES TIMEOUT 60
      ENVIRONMENT "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/integration/ui_lsan.supp")
  endforeach()
endif()
