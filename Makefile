# The dev loop. `make run` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   := data/demo.duckdb
HOST   ?= 127.0.0.1
PORT   ?= 8080

.PHONY: install run test test-deps lint bench eval clean

# The stamp is rebuilt whenever the dependencies change. constraints.txt pins
# the exact versions (scripts/lock.sh regenerates it), as CI and the image use.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(DEMO): | $(STAMP)
	$(BIN)/nl2sql demo-data --path $(DEMO) --scale 1

run: install $(DEMO)
	NL2SQL_WAREHOUSE=duckdb:///$(DEMO) $(BIN)/nl2sql serve --host $(HOST) --port $(PORT)

# Test peers that cannot be pip dependencies of the package: headless Chromium
# (Debian's package) for the page, the BigQuery emulator in its own venv, and
# PostgreSQL (Debian's package) for the multi-instance state tests.
test-deps: install
	bash scripts/install-browser.sh
	bash scripts/setup-bqemulator.sh
	bash scripts/install-postgres.sh

# PYTEST_ARGS narrows a run (make test PYTEST_ARGS=tests/safety). A run that
# collects nothing (pytest's exit code 5) is a broken suite, never a pass.
test: install test-deps
	@rc=0; $(BIN)/pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests; failing" >&2; fi; \
	exit $$rc

lint: install
	$(BIN)/ruff check nl2sql tests bench
	$(BIN)/mypy nl2sql bench

bench: install $(DEMO)
	$(BIN)/python bench/overhead.py --db $(DEMO)
	$(BIN)/python bench/gate.py
	$(BIN)/python bench/context.py --db $(DEMO)
	$(BIN)/python bench/web.py --db $(DEMO)

eval: install
	$(BIN)/nl2sql demo-data --path data/demo-0.1.duckdb --scale 0.1 --if-missing
	$(BIN)/nl2sql eval eval/dev.json --db data/demo-0.1.duckdb

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
