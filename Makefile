# 两条命令：make demo（用内置示例生成全部文档）、make test（全部检查与测试）。各自负责环境准备。
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.gongwen-installed
OUT    ?= demo-out

.PHONY: demo test lint bench templates clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/gongwen demo --out $(OUT) --force

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks templates
	$(VENV)/bin/ruff format --check src tests benchmarks templates
	$(VENV)/bin/mypy --strict src tests templates

test: lint
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) benchmarks/run.py

templates: $(STAMP)
	$(PY) templates/build.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
