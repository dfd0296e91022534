# Helpers of the picture tests (sourced after lib.sh).
need xmllint
"$THREADLENS" picture --help >/dev/null 2>&1 || skip "this build has no picture (cmake -DTHREADLENS_PICTURE=ON needs cairo, pango)"

TEXT_LAYER="//*[local-name()='g'][@id='threadlens-text']/*[local-name()='text']"
# svg_label SVG CLASS TID: the text of the first label of that class for that thread.
svg_label() {
    xmllint --xpath "string($TEXT_LAYER[@class='$2' and @data-tid='$3'])" "$1"
}
# svg_count SVG CLASS: how many labels of that class.
svg_count() {
    xmllint --xpath "count($TEXT_LAYER[@class='$2'])" "$1"
}
