# The live view's unit test (tests/unit/test_ui_rows.c) tests code of the threadlens_ui library
# (rows, rates, columns: no terminal involved), so it links that library too.
if(TARGET test_ui_rows)
  if(TARGET threadlens_ui)
    target_link_libraries(test_ui_rows PRIVATE threadlens_ui)
  else()
    set_tests_properties(unit.test_ui_rows PROPERTIES DISABLED TRUE)
  endif()
endif()
