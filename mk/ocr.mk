# OCR slice: read receipt images/PDFs without a database.
#   make ocr FILE=receipt.jpg [ENGINE=combined]
.PHONY: ocr ocr-engines test-ocr
ocr:
	@test -n "$(FILE)" || { echo "usage: make ocr FILE=path/to/receipt.jpg [ENGINE=name]"; exit 2; }
	OMP_THREAD_LIMIT=1 $(PY) -m tasks.ocr $(FILE) $(if $(ENGINE),--engine $(ENGINE),)

ocr-engines:
	@$(PY) -m tasks.ocr --list-engines

test-ocr:
	OMP_THREAD_LIMIT=1 $(PY) -m pytest -q tests/unit/ocr
