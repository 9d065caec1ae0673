# The two commands a newcomer needs: `make run` and `make test`. Each installs what is missing first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint bench browser postgres sample

run: $(VENV)/.installed browser  ## start the dashboard on the bundled sample data (chromium draws the pack's charts)
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(VENV)/.installed browser postgres  ## run every test, end-to-end browser and PostgreSQL tests included
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .

bench: $(VENV)/.installed
	$(BIN)/python bench/run_all.py

sample: $(VENV)/.installed  ## rebuild data/sample_gap_analysis.xlsx and .csv
	$(BIN)/python data/make_sample.py

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# End-to-end tests drive Debian's chromium, and the steering deck's chart pictures are drawn with it: install it
# when it is missing (needs root or sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests and the steering deck's pictures"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The store's tests also run on a real PostgreSQL server, which they start themselves from initdb and pg_ctl
# (.ci/run starts one for the whole run): install Debian's postgresql when they are missing (needs root or sudo).
postgres:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing Debian's postgresql for the store's tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; }
