# Korean receipt-line recogniser (training/recognizer/, runtime tasks/ocr/recognizer.py).
#   make train-recognizer [TRAIN_BUDGET_MIN=7] [TRAIN_RUN=training/recognizer/runs/NAME] [TRAIN_ARGS="--lr 1e-3"]
#     trains (resumes when TRAIN_RUN holds last.pt), exports ONNX (checked against PyTorch) and evaluates
#     CER on 2,000 held-out lines; the shipped model changes only with `make ship-recognizer`.
#   make eval-recognizer    CER + latency of the shipped model (tasks/ocr/models/korean_rec.onnx), greedy
#     decoding; REC_LM_WEIGHT=0.6 decodes as the worker does (with the syllable bigram model)
#   make test-recognizer    the recogniser's unit tests (charset, decoding, shipped model, training smoke)
#   make train-fonts-carry  charset-subset copies of the fonts in .train_fonts/ (to carry to a GPU machine)
#   make recognizer-checkpoint TRAIN_RUN=…  the run's best weights (fp16) as the committed starting point
TRAIN_BUDGET_MIN ?= 7
TRAIN_RUN ?= training/recognizer/runs/default
TRAIN_ARGS ?=
REC_DIR := tasks/ocr/models
TRAIN_ENV := PYTHONPATH=. PYTHONUNBUFFERED=1

.PHONY: train-deps train-recognizer export-recognizer eval-recognizer ship-recognizer test-recognizer train-fonts-carry

train-deps: $(STAMP)
	@$(PY) -c "import torch" 2>/dev/null || $(PY) -m pip install -q 'torch==2.13.0'
	@$(PY) -c "import onnx" 2>/dev/null || $(PY) -m pip install -q 'onnx==1.23.2'
	@$(TRAIN_ENV) $(PY) -m training.recognizer.fonts --check || { \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get install -y -q fonts-nanum fonts-nanum-extra fonts-unfonts-core fonts-baekmuk; \
	  else echo "install fonts-nanum fonts-nanum-extra fonts-unfonts-core fonts-baekmuk (Debian)"; exit 1; fi; }

train-recognizer: train-deps
	$(TRAIN_ENV) nice $(PY) -m training.recognizer.train --out $(TRAIN_RUN) --budget-min $(TRAIN_BUDGET_MIN) $(TRAIN_ARGS)
	$(MAKE) --no-print-directory export-recognizer eval-recognizer REC_ONNX=$(TRAIN_RUN)/korean_rec.onnx \
	  REC_CHARSET=$(TRAIN_RUN)/korean_rec_charset.txt REC_EVAL_JSON=$(TRAIN_RUN)/eval.json

REC_ONNX ?= $(REC_DIR)/korean_rec.onnx
REC_CHARSET ?= $(REC_DIR)/korean_rec_charset.txt
REC_EVAL_JSON ?= /dev/null
REC_LM_WEIGHT ?= 0
export-recognizer: train-deps
	$(TRAIN_ENV) $(PY) -m training.recognizer.export --ckpt $(TRAIN_RUN)/best.pt --onnx $(REC_ONNX) --charset-out $(REC_CHARSET)

eval-recognizer: $(STAMP)
	$(TRAIN_ENV) nice $(PY) -m training.recognizer.evaluate --onnx $(REC_ONNX) --charset $(REC_CHARSET) \
	  --lines 2000 --threads 2 --lm-weight $(REC_LM_WEIGHT) --json $(REC_EVAL_JSON)

ship-recognizer:
	cp $(TRAIN_RUN)/korean_rec.onnx $(REC_DIR)/korean_rec.onnx
	cp $(TRAIN_RUN)/korean_rec_charset.txt $(REC_DIR)/korean_rec_charset.txt
	@echo "now update $(REC_DIR)/MODEL_CARD.md from $(TRAIN_RUN)/summary.json and eval.json"

test-recognizer: train-deps
	$(PY) -m pytest -q tests/unit/recognizer

train-fonts-carry: $(STAMP)
	$(TRAIN_ENV) $(PY) -m training.recognizer.fonts --subset .train_fonts

# The shipped model's weights (fp16, no optimizer state) are committed so that a later run — a GPU
# session above all — continues from them instead of from scratch: --init $(REC_INIT).
REC_INIT := training/recognizer/checkpoints/korean_rec_init.pt
.PHONY: recognizer-checkpoint
recognizer-checkpoint: train-deps
	mkdir -p $(dir $(REC_INIT))
	$(TRAIN_ENV) $(PY) -c "import sys, torch; ck = torch.load(sys.argv[1], map_location='cpu', weights_only=False); \
	torch.save({'model': {k: (v.half() if v.is_floating_point() else v) for k, v in ck['model'].items()}, \
	'n_classes': ck['n_classes'], 'arch': ck.get('arch', 'base'), 'state': ck['state']}, sys.argv[2]); \
	print('wrote', sys.argv[2], ck['state'])" $(TRAIN_RUN)/best.pt $(REC_INIT)
