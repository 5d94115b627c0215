# tv_assets: `make demo` then `make test` on a fresh clone; everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# dbt and dagster are console scripts of the venv: `dagster dev` re-parses the dbt project with it.
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Runs, schedules and sensors of local sessions are kept here (make demo writes, make dev reads).
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home
# Local commands default to the bundled sample API on 127.0.0.1; set TV_ASSETS_SOURCES=live for the real APIs.
export TV_ASSETS_SOURCES ?= sample

.PHONY: install home manifest demo test test-quick lint dev docs validate bench bench-imdb bench-kaggle bench-production-day bench-backfill-days clean

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/.installed

home: install  ## $(DAGSTER_HOME)/dagster.yaml: Postgres when DAGSTER_PG_* are set, SQLite otherwise
	@$(BIN)/python -m tv_assets.deploy

# The dbt manifest the code location reads: parsed here (and in the Dockerfile and the test setup), never
# while the definitions are imported. Re-parsed when any file of the dbt project is newer.
DBT_FILES := $(shell find dbt/models dbt/macros dbt/seeds dbt/tests -type f 2>/dev/null) dbt/dbt_project.yml dbt/profiles.yml
dbt/target/duckdb/manifest.json: $(BIN)/.installed $(DBT_FILES)
	$(BIN)/python -m tv_assets.platform.dbt duckdb

manifest: dbt/target/duckdb/manifest.json

demo: home manifest  ## materialize every asset for the last 7 days from the sample sources, print the marts
	$(BIN)/python -m tv_assets.demo --days 7

# The suite on TEST_WORKERS pytest-xdist workers, each taking a whole test module at a time (a module's
# tests share its warehouse, servers and report), in collection order: the modules marked `long` first.
# Most of a test's time is spent waiting on dbt, servers and the browser, so more workers than cores
# pay; TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= 3
test: install manifest  ## the test suite (pytest's exit 5, "no tests collected", is not a failure)
	@scripts/ensure-chromium
	@scripts/ensure-postgres
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder; status=$$?; [ $$status -eq 5 ] && echo "no tests collected" && exit 0; exit $$status

test-quick: install manifest  ## the pure tests only (no asset runs, servers or browser): the quick loop
	$(BIN)/python -m pytest -m "not integration" -q

lint: install  ## ruff (lint, format check) and mypy on the Python; sqlfluff (dbt templater) on the dbt SQL
	$(BIN)/ruff check tv_assets tv_assets_tests bench scripts
	$(BIN)/ruff format --check tv_assets tv_assets_tests bench scripts
	$(BIN)/mypy
	@# an in-memory DuckDB: `is_incremental()` asks the warehouse whether a table exists, and lint needs none
	cd dbt && TV_ASSETS_DUCKDB_PATH=:memory: ../$(BIN)/sqlfluff lint models tests

# With TV_ASSETS_SOURCES=sample, the sample API serves on TV_ASSETS_SAMPLE_URL's port (8765) beside the UI.
dev: home manifest  ## the Dagster UI and daemon on http://127.0.0.1:3000
	@if [ "$$TV_ASSETS_SOURCES" = sample ]; then $(BIN)/python -m tv_assets.sample_api --port 8765 & trap "kill $$!" EXIT INT TERM; fi; \
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

docs: install manifest  ## dbt's documentation site over the local warehouse (make demo first) on http://127.0.0.1:8080
	cd dbt && ../$(BIN)/dbt docs generate --quiet --target-path target/docs && \
	../$(BIN)/dbt docs serve --target-path target/docs --host 127.0.0.1 --port 8080 --no-browser

validate: install manifest  ## load the code location the way the webserver does
	$(BIN)/dagster definitions validate -w workspace.yaml

bench: install  ## partition benchmarks; results in bench/results/
	$(BIN)/python bench/bench_partitions.py

bench-imdb: install  ## imdb_titles at full IMDB scale against PySpark, pandas and a plain scan (bench/README.md)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,bench]'
	$(BIN)/python bench/bench_imdb_titles.py

bench-kaggle: install  ## a 26M-row ratings.csv: the splitter and bulk load against a DuckDB scan and a pandas read
	$(BIN)/python bench/bench_kaggle_ratings.py

bench-production-day: install  ## days 1..3 of the whole daily graph at real volume from an empty warehouse (bench/README.md)
	$(BIN)/python bench/bench_production_day.py

bench-backfill-days: install  ## 30 days at a tenth of IMDB's size as one single-run backfill against one run a day (bench/README.md)
	$(BIN)/python bench/bench_backfill_days.py

clean:
	rm -rf data dbt/target dbt/logs
