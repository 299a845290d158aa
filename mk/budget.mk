# Budget benchmark: an event with 300 budget lines and 5,000 transactions; p50/p95 server time of the budget
# page, budget vs actual and an inline row save (in-process through the ASGI app).
#   make bench-budget [BENCH_BUDGET_ARGS="--requests 100 --json /tmp/budget.json"]
.PHONY: bench-budget
bench-budget:
	$(PY) bench/budget.py $(BENCH_BUDGET_ARGS)
