# THREADLENS_GIT_DESCRIBE: `git describe --always --dirty` when the source tree is the top of
# a git work tree (not when a release tarball was unpacked inside some other repository), else
# empty. Read at configure time; a commit or checkout re-runs the configure step (logs/HEAD).
set(THREADLENS_GIT_DESCRIBE "")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} rev-parse --show-toplevel --absolute-git-dir
                  OUTPUT_VARIABLE tl_git_dirs RESULT_VARIABLE tl_git_rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(tl_git_rc EQUAL 0)
    string(REPLACE "\n" ";" tl_git_dirs "${tl_git_dirs}")
    list(GET tl_git_dirs 0 tl_git_top)
    list(GET tl_git_dirs 1 tl_git_dir)
    get_filename_component(tl_git_top "${tl_git_top}" REALPATH)
    get_filename_component(tl_src_top "${PROJECT_SOURCE_DIR}" REALPATH)
    if(tl_git_top STREQUAL tl_src_top)
      execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} describe --always --dirty --tags
                      OUTPUT_VARIABLE THREADLENS_GIT_DESCRIBE ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
      if(EXISTS "${tl_git_dir}/logs/HEAD")
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${tl_git_dir}/logs/HEAD")
      endif()
    endif()
  endif()
endif()
message(STATUS "threadlens git describe: ${THREADLENS_GIT_DESCRIBE}")
