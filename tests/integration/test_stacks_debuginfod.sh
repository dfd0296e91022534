# debuginfod (issue 14, item 7): a stripped program's functions are named only when
# DEBUGINFOD_URLS names a server that has its debug file. A local debuginfod serves
# targets/debuginfod (stripped_chain.debug, objcopy --only-keep-debug) in a network namespace
# of its own, where only loopback exists; the dumps run in it (nsenter). Without the variable
# the frames stay unnamed and the module gets one hint; against a server that accepts and never
# answers, the dump still ends (each lookup and each process's lookups are bounded).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/stacks_lib.sh"
need jq; need curl; need readelf
command -v debuginfod >/dev/null || skip "debuginfod is not installed (make deps installs it)"
[ "$(id -u)" = 0 ] || skip "needs root (a network namespace of loopback only)"
unshare -n true 2>/dev/null || skip "cannot make a network namespace here (unshare -n)"
id=$(readelf -n "$TL_TARGETS/stripped_chain" | awk '/Build ID:/ { print $3 }')
[ -n "$id" ] || fail "stripped_chain has no build-id"
[ -f "$TL_TARGETS/debuginfod/stripped_chain.debug" ] || fail "no stripped_chain.debug next to the target"
work=$(mktemp -d)
SERVER_PID=""
cleanup_all() {
    [ -n "$SERVER_PID" ] && is_our_child "$SERVER_PID" && kill "$SERVER_PID" 2>/dev/null
    cleanup_targets; rm -rf "$work"
}
trap cleanup_all EXIT

# A network namespace held by a sleeping child; debuginfod and the dumps enter it.
unshare -n sh -c 'ip link set lo up && exec sleep 600' &
NS_PID=$!; TL_PIDS+=("$NS_PID")
for i in $(seq 50); do [ "$(readlink /proc/$NS_PID/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break; sleep 0.1; done
in_ns() { nsenter --net=/proc/$NS_PID/ns/net "$@"; }
port=8002
nsenter --net=/proc/$NS_PID/ns/net debuginfod -F -d "$work/db.sqlite" -p "$port" "$TL_TARGETS/debuginfod" >"$work/server.log" 2>&1 &
SERVER_PID=$!
ok=""
for i in $(seq 300); do   # up to 30 s for it to start and scan one file
    in_ns curl -sf -o /dev/null "http://127.0.0.1:$port/buildid/$id/debuginfo" && { ok=1; break; }
    kill -0 "$SERVER_PID" 2>/dev/null || skip "debuginfod did not start: $(tail -3 "$work/server.log")"
    sleep 0.1
done
[ -n "$ok" ] || skip "debuginfod did not serve the debug file within 30 s: $(tail -3 "$work/server.log")"

start_target stripped_chain
chain="stripped_leaf stripped_middle stripped_outer main"
dump_json() { in_ns env "$@" "$THREADLENS" dump --json "$TARGET_PID" >"$work/out.json" || true; }

dump_json -u DEBUGINFOD_URLS DEBUGINFOD_CACHE_PATH="$work/cache0"
got=$(functions_of "$work/out.json" stripped_chain)
case " $got " in *stripped_*) fail "named without debuginfod: $got" ;; esac
hints=$(jq -r '.notes[]? | select(test("stripped_chain have no function name"))' "$work/out.json")
[ "$(grep -c . <<<"$hints")" = 1 ] || fail "expected one hint for stripped_chain's unnamed frames, got: '$hints'"
grep -q "DEBUGINFOD_URLS" <<<"$hints" || fail "the hint does not mention DEBUGINFOD_URLS: $hints"

dump_json DEBUGINFOD_URLS="http://127.0.0.1:$port" DEBUGINFOD_CACHE_PATH="$work/cache1"
expect_chain "$work/out.json" stripped_chain "$chain"
hints=$(jq -r '.notes[]? | select(test("stripped_chain have no function name"))' "$work/out.json")
[ -z "$hints" ] || fail "a hint although debuginfod named the frames: $hints"

# a server that accepts connections and never answers (it logs each connection it holds)
nsenter --net=/proc/$NS_PID/ns/net python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 8003)); s.listen(16); held = []
log = open(sys.argv[1], "a", buffering=1); log.write("listening\n")
while True:
    c, _ = s.accept(); held.append(c); log.write("accepted\n")' "$work/silent.log" &
SILENT_PID=$!; TL_PIDS+=("$SILENT_PID")
for i in $(seq 100); do grep -q listening "$work/silent.log" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$work/silent.log" || fail "the silent server did not start"
t0=$(date +%s%N)
in_ns env DEBUGINFOD_URLS="http://127.0.0.1:8003" DEBUGINFOD_CACHE_PATH="$work/cache2" \
    timeout 60 "$THREADLENS" dump --json "$TARGET_PID" >"$work/out.json"
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$rc" != 124 ] || fail "the dump hung on a debuginfod server that never answers"
[ "$ms" -lt 30000 ] || fail "the dump took $ms ms against a silent server (each process's lookups are bounded to 8 s)"
got=$(functions_of "$work/out.json" stripped_chain)
case " $got " in *stripped_*) fail "named by a silent server: $got" ;; esac
grep -q accepted "$work/silent.log" || fail "the dump never asked the silent server (nothing to bound)"
echo "ok: unnamed and one hint without debuginfod; '$chain' with it; silent server: dump in $ms ms (rc $rc)"
