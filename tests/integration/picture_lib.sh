# Helpers of the picture tests (sourced after lib.sh).
# Under ASan: fontconfig's process-lifetime font set is not ours (ui_lsan.supp says why).
case ${LSAN_OPTIONS:-} in *ui_lsan.supp*) ;; *)
    export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/ui_lsan.supp" ;;
esac
need xmllint
"$THREADLENS" picture --help >/dev/null 2>&1 || skip "this build has no picture (cmake -DTHREADLENS_PICTURE=ON needs cairo, pango)"

TEXT_LAYER="//*[local-name()='g'][@id='threadlens-text']/*[local-name()='text']"
# svg_label SVG CLASS TID: the text of the first label of that class for that thread.
svg_label() {
    xmllint --xpath "string($TEXT_LAYER[@class='$2' and @data-tid='$3'])" "$1"
}
# svg_count SVG CLASS: how many labels have that class (among the space-separated ones).
svg_count() {
    xmllint --xpath "count($TEXT_LAYER[contains(concat(' ', @class, ' '), ' $2 ')])" "$1"
}
