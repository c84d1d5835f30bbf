#!/bin/sh
# CI smoke test of the training pipeline (< 3 min on 2 cores): a few training steps of a tiny
# model on generated manga-like images, resume, ONNX export, PyTorch-vs-onnxruntime parity;
# the same for the colorize model (training/colorize.py) on generated colour pictures.
# Skips (exit 0, with a clear line) when Debian's PyTorch / ONNX are not installed.
set -e
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
if ! "$PY" -c "import torch, onnx, cv2, skimage" 2>/dev/null; then
  echo "training smoke: SKIPPED (needs python3-torch, python3-onnx, python3-opencv, python3-skimage: sh training/setup_data.sh)"
  exit 0
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
common="--runs-root $TMP --run smoke --synthetic --width 4 --depth 4 --size 64 --batch 2 --log-every 2 --save-every 3 --threads 2"
"$PY" training/train.py $common --steps 3
"$PY" training/train.py $common --steps 5 --resume --guides 1  # guide strokes as known pixels (masks.py simulate_guide)
"$PY" training/train.py --runs-root "$TMP" --run smoke-mosaic --kind mosaic --init "$TMP/smoke/last.pt" \
  --synthetic --size 64 --batch 2 --steps 2 --log-every 1 --threads 2 --residual --prior --lr-final 1e-5
"$PY" training/export.py --ckpt "$TMP/smoke/last.pt" --out "$TMP/m/smoke-bar.onnx" --vectors "$TMP/vec" --parity 2>&1 | grep -v -i warn
"$PY" training/export.py --ckpt "$TMP/smoke-mosaic/last.pt" --out "$TMP/m/smoke-mosaic.onnx" --vectors "$TMP/vecm" --parity 2>&1 | grep -v -i warn
"$PY" -c "import json; m=json.load(open('$TMP/m/models.json'))['models']; assert [x['kind'] for x in m]==['bar','mosaic'], m; assert m[1]['input']['mosaic']=='block-prior', m; assert m[0]['input']['guides']=='known-pixels', m"
# a hole model that corrects the classical fill: samples, their fill by src/core/fsr.ts (Node), a
# few steps from the mosaic model with a zeroed correction, export, parity, manifest
[ -f dist/bench/pipeline-node.js ] || npx webpack --config build/webpack.bench.js --config-name bench-node >/dev/null
"$PY" training/prior_data.py --out "$TMP/prior" --shards 1 --per 4 --size 64 --synthetic
node training/prior_fsr.js "$TMP/prior"
"$PY" training/train.py --runs-root "$TMP" --run smoke-prior --init "$TMP/smoke-mosaic/last.pt" --zero-last --fsr-prior "$TMP/prior" \
  --size 64 --batch 2 --steps 2 --log-every 1 --threads 2
"$PY" training/export.py --ckpt "$TMP/smoke-prior/last.pt" --out "$TMP/p/smoke-prior.onnx" --vectors "$TMP/vecp" --parity 2>&1 | grep -v -i warn
"$PY" -c "import json; m=json.load(open('$TMP/p/models.json'))['models']; assert m[0]['kind']=='bar' and m[0]['input']['prior']=='classical', m"
# the same, following guide strokes (issue 15): samples with simulated guides (shard_k.ink), a few
# steps from the prior model; the export records both input.prior and input.guides
"$PY" training/prior_data.py --out "$TMP/prior-g" --shards 1 --per 6 --size 64 --synthetic --guides 1
node training/prior_fsr.js "$TMP/prior-g"
"$PY" training/train.py --runs-root "$TMP" --run smoke-prior-g --init "$TMP/smoke-prior/last.pt" --fsr-prior "$TMP/prior-g" \
  --size 64 --batch 2 --steps 2 --log-every 1 --threads 2 --w-near-ink 4 --w-near-edge 2 --w-edge 0.3 > "$TMP/prior-g.log"
grep -q "carry a guide" "$TMP/prior-g.log"
grep -q " edge [0-9]" "$TMP/prior-g.log"  # the soft-edge loss ran
# soft_edge_l1 on a hand-made page: 0 for the truth, about 1 for a line lost in the hole, small for a darker line
(cd training && "$PY" -c "
import torch, train
gt = torch.ones(1, 3, 64, 64); gt[..., 30:32] = 0.2
hole = torch.zeros(1, 1, 64, 64); hole[..., 20:40, 20:40] = 1
lost = gt.clone(); lost[..., 20:40, 20:40] = 0.9
dark = gt.clone(); dark[..., 30:32] = 0.05
e = [train.soft_edge_l1(x, gt, hole).item() for x in (gt, lost, dark)]
assert e[0] == 0 and e[1] > 0.8 and e[2] < 0.3, e")
"$PY" training/export.py --ckpt "$TMP/smoke-prior-g/last.pt" --out "$TMP/pg/smoke-prior-g.onnx" --vectors "$TMP/vecpg" --parity 2>&1 | grep -v -i warn
"$PY" -c "import json; m=json.load(open('$TMP/pg/models.json'))['models']; assert m[0]['input']['prior']=='classical' and m[0]['input']['guides']=='known-pixels', m"
# the colorize model: train, resume, export, parity
cz="--runs-root $TMP --run smoke-cz --synthetic --width 4 --size 64 --batch 2 --log-every 1 --save-every 2 --threads 2"
"$PY" training/colorize.py train $cz --steps 2
"$PY" training/colorize.py train $cz --steps 3 --resume
"$PY" training/colorize.py export --ckpt "$TMP/smoke-cz/last.pt" --out "$TMP/c/smoke-colorize.onnx" --vectors "$TMP/vecc" 2>&1 | grep -v -i warn
node training/parity.js "$TMP/vecc"
"$PY" -c "import json; m=json.load(open('$TMP/c/models.json'))['models']; assert [x['kind'] for x in m]==['colorize'], m"
echo "training smoke: PASS"
