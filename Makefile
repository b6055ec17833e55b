# make run   set everything up, build the sample workspace if there is none, open the app
# make test  the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WORKSPACE ?= workspace

.PHONY: run test setup system sample bench bench-quick docs clean help

help:
	@echo "make run    set up, build the sample workspace if missing, start the app on 127.0.0.1:8501"
	@echo "make test   run the whole test suite"
	@echo "make bench  run every benchmark, then one table of the figures against their targets (large; long)"
	@echo "make bench-quick  the same at small sizes, to check that each benchmark runs"
	@echo "make docs   the README's screenshots again, from the end-to-end test"

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

system:
	@bash scripts/system-packages.sh

setup: system $(VENV)/.installed

SAMPLES := samples/telegram samples/telegram-html samples/whatsapp samples/screenshots

$(WORKSPACE)/recoupe.duckdb: | $(VENV)/.installed
	$(PY) -m ingest $(SAMPLES) --workspace $(WORKSPACE) --user sample \
		|| echo "Some sample files were not imported (reasons above); the app starts anyway."

sample: $(WORKSPACE)/recoupe.duckdb

run: setup sample
	RECOUPE_WORKSPACE="$(abspath $(WORKSPACE))" $(VENV)/bin/streamlit run app.py \
		--server.address 127.0.0.1 --server.port 8501

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) bench/run_all.py

bench-quick: setup
	$(PY) bench/run_all.py --quick

docs: setup
	RECOUPE_UPDATE_DOCS=1 $(PY) -m pytest -q tests/test_journey.py

clean:
	rm -rf $(VENV) .pytest_cache
