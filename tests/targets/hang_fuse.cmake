# hang_fuse serves a file with libfuse3 (fuse3 + libfuse3-dev, scripts/install-deps.sh); without
# it the target builds as a stub that exits 77 (the test then says why it skipped).
pkg_check_modules(FUSE3 QUIET IMPORTED_TARGET fuse3)
if(FUSE3_FOUND)
  target_link_libraries(hang_fuse PRIVATE PkgConfig::FUSE3)
  target_compile_definitions(hang_fuse PRIVATE TL_HAVE_FUSE3=1)
endif()
