#!/usr/bin/env bash
# One prepared training run on a CUDA machine (fonts carried in .train_fonts/, results to $OUT).
# Usage: BUDGET_MIN=7 OUT=/some/dir [INIT=…] bash training/recognizer/gpu_run.sh
# INIT: start from these weights (default: the committed training/recognizer/checkpoints/korean_rec_init.pt,
# the shipped model's; INIT= trains from scratch). TRAIN_TIMEOUT (seconds, 0 = none) stops a training run
# that overruns, so that the export still happens inside the device call's limit. RUN (default: a new
# folder) resumes from its last.pt: on a warm machine a second call with the first call's RUN and the same
# BUDGET_MIN finds the budget spent and trains nothing; with a larger BUDGET_MIN it trains on (the cosine
# schedule picks up at elapsed / new budget). EXPORT=0 skips the export and the eval. A CPU rehearsal: BUDGET_MIN=0.3 VAL_LINES=50 EVAL_LINES=50
# TRAIN_ARGS="--device cpu --workers 1 --batch-size 8" PY=.venv/bin/python bash training/recognizer/gpu_run.sh
set -uo pipefail
mount -o remount,size=32G /dev/shm 2>/dev/null || true; df -h /dev/shm || true
export PYTHONUNBUFFERED=1 PYTHONPATH=. CHONGMU_TRAIN_FONT_DIRS=.train_fonts OMP_NUM_THREADS=1
PY=${PY:-python3}
RUN=${RUN:-$(mktemp -d /tmp/rec_run.XXXXXX)}
OUT=${OUT:-/tmp/rec_out}
INIT=${INIT-training/recognizer/checkpoints/korean_rec_init.pt}
[ -z "$INIT" ] || [ -f "$INIT" ] || INIT=
mkdir -p "$OUT" "$RUN"
LOG="$OUT/train_stdout.log"
{
  nvidia-smi -L || true
  cat /sys/fs/cgroup/cpu.max 2>/dev/null  # (nproc would print 1: it obeys the OMP_NUM_THREADS=1 set above)
  $PY -c "import os; print('cpus: affinity', len(os.sched_getaffinity(0)), 'count', os.cpu_count())"
  $PY -c "import torch, onnx, onnxruntime, cv2, PIL, numpy; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'onnx', onnx.__version__, 'ort', onnxruntime.__version__, 'cv2', cv2.__version__, 'PIL', PIL.__version__, 'numpy', numpy.__version__)"
  ls .train_fonts | wc -l
} 2>&1 | tee "$LOG"
date -u +"%T train starts in $RUN" | tee -a "$LOG"
timeout "${TRAIN_TIMEOUT:-0}" $PY -m training.recognizer.train --out "$RUN" --budget-min "${BUDGET_MIN:-7}" --val-lines "${VAL_LINES:-1000}" \
  --val-every-s 45 --ckpt-every-s 60 --log-every 200 ${INIT:+--init "$INIT"} ${TRAIN_ARGS:-} 2>&1 | tee -a "$LOG"
cp "$RUN/train_log.tsv" "$RUN/summary.json" "$OUT/" 2>/dev/null
CK="$RUN/best.pt"; [ -f "$CK" ] || CK="$RUN/last.pt"
$PY - "$CK" "$OUT/best_model.pt" <<'PYEOF' 2>&1 | tee -a "$LOG"
import sys, torch
ck = torch.load(sys.argv[1], map_location="cpu", weights_only=False)
torch.save({"model": ck["model"], "n_classes": ck["n_classes"], "arch": ck.get("arch", "base"), "state": ck["state"]}, sys.argv[2])
print("saved", sys.argv[2], ck["state"])
PYEOF
# EXPORT=0: stop at the checkpoint (export and eval then run on the CPU at home, saving a minute of device time)
[ "${EXPORT:-1}" = 0 ] && { date -u +"%T done (no export)" | tee -a "$LOG"; ls -la "$OUT"; exit 0; }
$PY -m training.recognizer.export --ckpt "$OUT/best_model.pt" --onnx "$OUT/korean_rec.onnx" \
  --charset-out "$OUT/korean_rec_charset.txt" 2>&1 | grep -v -i warn | tee -a "$LOG"
date -u +"%T eval starts" | tee -a "$LOG"
$PY -m training.recognizer.evaluate --onnx "$OUT/korean_rec.onnx" --charset "$OUT/korean_rec_charset.txt" \
  --lines "${EVAL_LINES:-2000}" --threads 8 --json "$OUT/eval.json" 2>&1 | tee -a "$LOG"
date -u +"%T done" | tee -a "$LOG"
ls -la "$OUT"
