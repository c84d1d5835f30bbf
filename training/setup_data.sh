#!/bin/sh
# Install the redistributable training sources from Debian and build the manga-ised cache
# (training/cache/, gitignored). Black Jack and Pepper&Carrot pages are read from
# ../shared/data/train (SHARED_DATA overrides). The evaluation set is never read.
#   sh training/setup_data.sh [N_CLIPART]
set -e
cd "$(dirname "$0")/.."
PKGS="openclipart-png renpy-demo renpy-thequestion python3-torch python3-onnx python3-opencv python3-skimage"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  flock /tmp/apt.lock $SUDO apt-get install -y $missing
fi
# openclipart-svg is not needed: the PNG package already holds the same drawings rasterised.
/usr/bin/python3 training/data.py --build-cache --n-clipart "${1:-600}"
