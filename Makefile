# twibench — two commands: `make run` opens the app on the sandbox, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench screenshots clean setup

# Re-installs only when pyproject.toml or constraints.txt changed since the last install.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,bench]'
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/twibench

# Workers: 1.5 per core. The TUI tests spend part of their time waiting for the app to go idle, so a third
# worker on two cores fills that time (2 cores: 202 s with 2 workers, 167 s with 3).
WORKERS ?= $(shell $(PYTHON) -c "import os; print(max(1, len(os.sched_getaffinity(0)) * 3 // 2))")

# pytest exit code 5 means "no tests collected": that is a failure, never a pass.
test: $(STAMP)
	@$(PY) -m pytest -n $(WORKERS) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

lint: $(STAMP)
	$(VENV)/bin/ruff check twibench tests bench scripts
	$(VENV)/bin/ruff format --check twibench tests bench scripts
	$(VENV)/bin/mypy --strict

bench: $(STAMP)
	@for f in bench/*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

screenshots: $(STAMP)
	$(PY) scripts/screenshots.py screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
