#!/usr/bin/env bash
# Installs the Debian packages Recoupe uses beside Python, when they are missing and we may:
#   tesseract-ocr, tesseract-ocr-fra  OCR of screenshots (English comes with tesseract-ocr)
#   fonts-dejavu-core                 the font of the sample screenshots and of PDF dossiers
#   fonts-symbola                     the emoji of PDF dossiers (monochrome, up to Unicode 9)
#   poppler-utils                     pdftoppm, to look at a dossier's pages as images
#   chromium                          the browser of the end-to-end and browser tests (Playwright)
# As root (CI, a fresh machine) it installs them; otherwise it says what to install and goes on:
# everything but OCR (and the end-to-end test, which is skipped) works without them.
set -u
want=()
command -v tesseract >/dev/null 2>&1 || want+=(tesseract-ocr)
if command -v tesseract >/dev/null 2>&1 && ! tesseract --list-langs 2>/dev/null | grep -qx fra; then
  want+=(tesseract-ocr-fra)
elif ! command -v tesseract >/dev/null 2>&1; then
  want+=(tesseract-ocr-fra)
fi
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || want+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf ] || want+=(fonts-symbola)
command -v pdftoppm >/dev/null 2>&1 || want+=(poppler-utils)
[ -x /usr/bin/chromium ] || want+=(chromium)
[ ${#want[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${want[*]} ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${want[@]}" >/dev/null
else
  echo "Recoupe: please install ${want[*]} (e.g. sudo apt-get install ${want[*]}); OCR of screenshots, the emoji of dossiers and the browser test need them." >&2
fi
exit 0
