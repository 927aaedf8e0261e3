# escalate: two commands on a fresh machine, `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint typecheck check-rules bench clean

install: $(STAMP)

# Reinstall whenever the project's metadata changes.
$(STAMP): pyproject.toml .ci/system-libs
	@$(PYTHON) -c 'import sys; assert (3, 11) <= sys.version_info[:2] < (3, 13), "escalate needs Python 3.11 or 3.12 (durable-rules does not import on 3.13)"'
	bash .ci/system-libs
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/escalate serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/escalate rules check rules
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check escalate api tests bench
	$(BIN)/mypy

check-rules: install
	$(BIN)/escalate rules check rules

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
