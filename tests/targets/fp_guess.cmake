# fp_guess: frame pointers and no unwind information of any kind (no -g: no .debug_frame
# either), so its frames can only be found by following frame pointers (issue 14, item 4).
target_compile_options(fp_guess PRIVATE -O1 -g0 -fno-asynchronous-unwind-tables -fno-unwind-tables
                       -fno-omit-frame-pointer -fno-optimize-sibling-calls -fno-inline)
