# The debian/ folder: dpkg-buildpackage -us -uc builds the .deb from a copy of the source tree;
# lintian finds no error in it; its files are the binary, the man page and the bash completion;
# unpacked into a scratch root (dpkg -x), its threadlens runs: --version, and a dump; every
# library cmake/Dependencies.cmake requires is in Build-Depends.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dump_lib.sh"
: "${TL_SOURCE:?run through ctest}"
need dpkg-buildpackage
need dh
need lintian
# every library the build requires (cmake/Dependencies.cmake) is a Build-Depends of the package
for pkg in $(sed -n 's/^ *tl_require([A-Z0-9_]* [^ ]* \([^ ]*\) .*/\1/p' "$TL_SOURCE/cmake/Dependencies.cmake"); do
    grep -q "^ *\(Build-Depends:.*\)\?[ ,]*$pkg\b" "$TL_SOURCE/debian/control" || fail "debian/control lacks Build-Depends $pkg (required by cmake/Dependencies.cmake)"
done
# libraries threadlens dlopens (not seen by dh_shlibdeps) are named in debian/control
for lib in libdebuginfod1 libmicrohttpd12; do
    grep -q "^\(Depends\|Recommends\):.*\b$lib\b" "$TL_SOURCE/debian/control" || fail "debian/control lacks $lib, which threadlens dlopens, in Depends or Recommends"
done
work=$(mktemp -d)
mkdir "$work/threadlens"
tar -C "$TL_SOURCE" --exclude='./build*' --exclude=./.git --exclude=./tests/fuzz/corpus-work -cf - . |
    tar -C "$work/threadlens" -xf - || fail "cannot copy the source tree"
(cd "$work/threadlens" && DEB_BUILD_OPTIONS="parallel=$(nproc) nocheck" dpkg-buildpackage -us -uc) \
    >"$work/build.log" 2>&1 || fail "dpkg-buildpackage failed: $(tail -20 "$work/build.log")"
version=$(sed -n '1s/^threadlens (\([^)]*\)).*/\1/p' "$TL_SOURCE/debian/changelog")
arch=$(dpkg --print-architecture)
deb=$work/threadlens_${version}_${arch}.deb
[ -f "$deb" ] || fail "no $deb after the build (got: $(ls "$work"))"
lintian --fail-on error --tag-display-limit 0 "$work/threadlens_${version}_${arch}.changes" >"$work/lintian.log" 2>&1 \
    || fail "lintian reports errors: $(grep '^E:' "$work/lintian.log" | head -10)"
grep '^E:' "$work/lintian.log" && fail "lintian printed errors"
contents=$(dpkg -c "$deb")
for f in ./usr/bin/threadlens ./usr/share/man/man1/threadlens.1.gz ./usr/share/bash-completion/completions/threadlens; do
    grep -q " $f\$" <<<"$contents" || fail "the package lacks $f"
done
root=$work/root
dpkg -x "$deb" "$root" || fail "dpkg -x failed"
out=$("$root/usr/bin/threadlens" --version) || fail "the packaged threadlens --version failed"
[ "$out" = "threadlens $version" ] || fail "the packaged --version says '$out', not 'threadlens $version'"
start_target named_threads
log=$(mktemp)
"$root/usr/bin/threadlens" dump "$TARGET_PID" >"$log" 2>&1 || fail "the packaged threadlens cannot dump: $(tail -3 "$log")"
grep -q '"tl-worker-4"' "$log" || fail "the packaged dump lacks a thread"
# the picture module is packaged in /usr/lib/MULTIARCH/threadlens, where the binary finds it, and
# its cairo and pango are in the package's Depends (dh_shlibdeps reads the module)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
grep -q " ./usr/lib/$multiarch/threadlens/threadlens-picture.so\$" <<<"$contents" || fail "the package lacks /usr/lib/$multiarch/threadlens/threadlens-picture.so"
depends=$(dpkg-deb -f "$deb" Depends)
grep -q 'libcairo2' <<<"$depends" || fail "the package's Depends lack libcairo2 (the picture module's): $depends"
"$root/usr/bin/threadlens" picture "$TARGET_PID" -o "$work/p.svg" >"$log" 2>&1 || fail "the packaged threadlens cannot draw: $(tail -3 "$log")"
grep -q '<svg' "$work/p.svg" || fail "the packaged picture is no SVG"
warnings=$(grep -c '^W:' "$work/lintian.log" || true)
rm -rf "$work" "$log"
echo "ok: .deb built, lintian: 0 errors ($warnings warnings), installs into a scratch root, runs: $out"
