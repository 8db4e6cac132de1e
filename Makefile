# pdca: two commands. `make run` sets up and serves the demo; `make test` sets up and runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= pdca.config.settings.dev

.PHONY: run test lint bench soak fuzz clean

$(BIN)/pdca: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(BIN)/pdca

# The worker, with the scheduler inside it, runs beside the development server over a broker that
# is only a folder (var/queue): mail, reminders and exports work with no server to install.
# Ctrl-C stops both.
run: $(BIN)/pdca
	$(BIN)/pdca migrate --noinput
	$(BIN)/pdca demo --address 127.0.0.1:$(PORT)
	$(BIN)/pdca worker --beat --concurrency 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/pdca runserver 127.0.0.1:$(PORT)

lint: $(BIN)/pdca
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=pdca.config.settings.test $(BIN)/pdca makemigrations --check --dry-run

# One process: pytest-django then runs the transactional (browser) tests last, after every test
# that expects the catalogues loaded by migrations; spreading files over workers breaks that order.
test: lint
	DJANGO_SETTINGS_MODULE=pdca.config.settings.test $(BIN)/pytest -p no:xdist -q
	@if [ -n "$$PDCA_TEST_POSTGRES_URL" ]; then \
		echo "== the same suite against PostgreSQL =="; \
		DJANGO_SETTINGS_MODULE=pdca.config.settings.test PDCA_TEST_DATABASE_URL="$$PDCA_TEST_POSTGRES_URL" \
			$(BIN)/pytest -p no:xdist -q; \
	else echo "PDCA_TEST_POSTGRES_URL is not set: PostgreSQL run skipped."; fi

bench: $(BIN)/pdca
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# The schema test of `make test` with many more cases per operation (about 10,000 calls in all).
FUZZ_EXAMPLES ?= 120
fuzz: $(BIN)/pdca
	DJANGO_SETTINGS_MODULE=pdca.config.settings.test PDCA_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
		$(BIN)/pytest -p no:xdist -q -s tests/test_api_schema.py

soak: $(BIN)/pdca
	$(BIN)/python benchmarks/run.py --soak $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var build *.egg-info
