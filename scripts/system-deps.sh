#!/usr/bin/env bash
# Debian packages the app needs outside Python: PostgreSQL (embedded dev/test server), Korean fonts
# (PDFs, sample receipts), Tesseract with Korean, Chromium (browser tests). Installs what is missing when
# run as root; otherwise prints the command to run.
set -euo pipefail
need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in postgresql fonts-nanum fonts-nanum-extra fonts-unfonts-core fonts-baekmuk tesseract-ocr tesseract-ocr-kor tesseract-ocr-eng ${EXTRA_DEBIAN_PACKAGES:-}; do
  have_pkg "$pkg" || need+=("$pkg")
done
if [ "${WITH_BROWSER:-0}" = "1" ]; then have_pkg chromium || need+=(chromium); fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Missing Debian packages: ${need[*]}" >&2
  echo "Install them with:  sudo apt-get install ${need[*]}" >&2
  exit 1
fi
