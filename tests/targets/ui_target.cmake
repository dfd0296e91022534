# ui_target: its call chain must keep every frame (no inlining, no sibling calls), as in the
# stack tests, so the live view's stack pane shows ui_chain_top -> ui_chain_middle -> ui_chain_bottom.
target_compile_options(ui_target PRIVATE -g -fno-optimize-sibling-calls -fno-inline)
