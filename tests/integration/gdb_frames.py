# Run inside gdb (gdb_lib.sh): one line per thread, "LWP<TAB>name<TAB>name...", the functions of
# the frames on the stack innermost first. A frame of inlined calls is named by its outermost
# function (the one the symbol table names); gdb's tail-call frames (rebuilt from DWARF call-site
# information: no frame of theirs is on the stack) are left out; "0x0" for a frame at pc 0.
import gdb

MAX = 16
for inf in gdb.inferiors():
    for th in inf.threads():
        th.switch()
        names = []
        f = gdb.newest_frame()
        while f is not None and len(names) < MAX:
            kind = f.type()
            if kind not in (gdb.INLINE_FRAME, gdb.TAILCALL_FRAME):
                names.append("0x0" if f.pc() == 0 else (f.name() or "??"))
            try:
                f = f.older()
            except gdb.error:
                break
        print("\t".join([str(th.ptid[1])] + names))
