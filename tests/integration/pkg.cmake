# Building the .deb compiles threadlens once more from scratch: more time than a test usually gets.
set_tests_properties(integration.test_pkg_deb PROPERTIES TIMEOUT 900)
