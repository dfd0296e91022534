# The C++ target (std::condition_variable's waits): built when a C++ compiler is there (g++ from
# scripts/install-deps.sh; a cross build without one skips it, and its test says so).
# A cross build has no C++ compiler for the target unless its toolchain names one (the host's
# g++ would build a host binary).
if(CMAKE_CROSSCOMPILING AND NOT CMAKE_CXX_COMPILER)
  return()
endif()
include(CheckLanguage)
check_language(CXX)
if(CMAKE_CXX_COMPILER)
  enable_language(CXX)
  add_executable(waits_cxx_condvar ${CMAKE_CURRENT_SOURCE_DIR}/targets/waits_cxx_condvar.cpp)
  target_link_libraries(waits_cxx_condvar PRIVATE Threads::Threads)
  set_target_properties(waits_cxx_condvar PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/targets)
endif()
