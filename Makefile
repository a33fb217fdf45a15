# Two commands on a fresh clone: `make demo` and `make test`. Each creates .venv/ when
# missing and installs the project into it (editable); nothing else is needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
YEAR ?= 2026
PRESET ?= longchuan
SEED ?= 1
OUT ?= out

.PHONY: demo test lint install install-test bench bench-full bench-console serve clean browser screenshots
PORT ?= 8000
# make serve: these demo tokens unless ROTATION_TOKENS is set (never use them in production)
DEMO_OFFICER ?= demo-officer-token
DEMO_VIEWER ?= demo-viewer-token
BROWSER_PACKAGES := chromium chromium-driver chromium-l10n fonts-wqy-microhei
# Chromium's Chinese (chromium-l10n): without it the browser runs in English whatever --lang says
CHROMIUM_ZH := /usr/lib/chromium/locales/zh-CN.pak

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench,dist]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/rotation sample --preset $(PRESET) --seed $(SEED) --out $(OUT)/$(PRESET)
	$(BIN)/rotation check-data $(OUT)/$(PRESET) --year $(YEAR)
	$(BIN)/rotation plan --data $(OUT)/$(PRESET) --year $(YEAR) --out $(OUT)/plan

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The console's browser tests drive Debian's Chromium: installed here when missing and we
# are root (as in CI); otherwise stop with the one command to run.
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -f $(CHROMIUM_ZH) ] && fc-list :lang=zh | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "安装 Chromium 供控制台浏览器测试使用 / installing Chromium for the console's browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES); \
	else \
		echo "控制台浏览器测试需要 Chromium，请运行 / the console's browser tests need Chromium, run:"; \
		echo "  sudo apt-get install -y $(BROWSER_PACKAGES)"; exit 1; \
	fi

test: install-test browser
	$(BIN)/ruff check .
	$(BIN)/mypy rotation solver workflows api cli sample_data bench
	$(BIN)/python -m pytest -q

# The README's console pictures (docs/screenshots/), retaken by the browser tests at 1366×768
screenshots: install-test browser
	CONSOLE_DOC_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q -p no:randomly tests/browser

bench: install-test
	$(BIN)/python -m bench.run --quick

bench-console: install-test
	$(BIN)/python -m bench.console_pages

bench-full: install-test
	$(BIN)/python -m bench.run --full

serve: install
	@if [ -z "$$ROTATION_TOKENS" ]; then \
		echo "控制台 / console: http://127.0.0.1:$(PORT)/"; \
		echo "演示令牌 / demo tokens: $(DEMO_OFFICER) (经办人 officer), $(DEMO_VIEWER) (查看者 viewer)"; \
		echo "数据 / data: make demo 生成 $(OUT)/$(PRESET)/ 的 CSV，可在“导入花名册”中拖入 / drop the CSVs of $(OUT)/$(PRESET)/ on the import page"; \
	fi
	ROTATION_TOKENS="$${ROTATION_TOKENS:-$(DEMO_OFFICER):officer,$(DEMO_VIEWER):viewer}" \
		$(BIN)/rotation serve --port $(PORT)

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
