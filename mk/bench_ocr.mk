# OCR benchmark: every available engine on tests/samples/receipts (per-field accuracy, latency, peak RSS).
#   make bench-ocr [BENCH_OCR_ARGS="--engines rapidocr,combined --limit 20 --by-kind --json out.json"]
.PHONY: bench-ocr
bench-ocr:
	OMP_THREAD_LIMIT=1 $(PY) bench/ocr.py $(BENCH_OCR_ARGS)
