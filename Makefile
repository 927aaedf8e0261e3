# escalate: two commands on a fresh machine, `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint typecheck check-rules bench clean wheels image image-test

install: $(STAMP)

# Reinstall whenever the project's metadata changes.
$(STAMP): pyproject.toml setup.py .ci/system-libs
	@$(PYTHON) -c 'import sys; assert (3, 11) <= sys.version_info[:2] < (3, 13), "escalate needs Python 3.11 or 3.12 (durable-rules does not import on 3.13)"'
	bash .ci/system-libs
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/escalate serve --host $(HOST) --port $(PORT)

# Lint and types first (ruff, mypy strict), then the rule check and every test, on every
# core (pytest-xdist; TEST_WORKERS=0 runs them in this one process, TEST_WORKERS=2 on two).
# Tests that share a module-scoped fixture or the browser run together on one worker
# (--dist loadgroup; the groups are made in tests/conftest.py).
# Bytecode is written (__pycache__/, ignored by git) even where PYTHONDONTWRITEBYTECODE is
# set: the tests start servers, workers and commands in fresh processes, and each would
# otherwise compile the library and the tests' rewritten asserts again (about a sixth of
# the suite's time).
TEST_WORKERS ?= auto
test: install lint
	$(BIN)/escalate rules check --strict rules
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

lint: install
	$(BIN)/ruff check escalate api tests bench
	$(BIN)/mypy

check-rules: install
	$(BIN)/escalate rules check --strict rules

bench: install
	$(BIN)/python -m bench

# Wheels of escalate and all its dependencies, for the container image, built by $(PYTHON)
# (it must have the image's Python minor version; durable-rules is compiled here).
wheels:
	rm -rf build dist/wheels
	$(PYTHON) -m pip wheel --quiet --wheel-dir dist/wheels .
	rm -rf build

# The image, on the official slim Python base of the host's Python version (override
# BASE=...); docker or podman, whichever is installed (CONTAINER=... to choose).
CONTAINER ?= $(shell command -v podman >/dev/null 2>&1 && echo podman || echo docker)
BASE ?= python:$(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')-slim
VERSION = $(shell $(PYTHON) -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
# The OCI labels' revision and date: the checked-out commit and now (UTC).
REVISION = $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
CREATED = $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
image: wheels
	$(CONTAINER) build $(if $(findstring podman,$(CONTAINER)),--format docker) --build-arg BASE=$(BASE) --build-arg VERSION=$(VERSION) --build-arg REVISION=$(REVISION) --build-arg CREATED=$(CREATED) -t escalate:$(VERSION) -t escalate:latest -f Containerfile .

# Build the image on this machine (a debootstrap-made base, podman with runc), run it,
# ask it for advice, an English and a Spanish PDF letter, and clean up (scripts/image-test).
image-test: install
	bash scripts/image-test

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
