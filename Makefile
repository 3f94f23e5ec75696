# Set-up and daily commands. Every target bootstraps what it needs, once: a pinned Deno
# (project-local unless the machine's deno is the pinned version), the npm packages from
# the frozen deno.lock, and a virtualenv with the pinned Python tools.
SHELL := /bin/bash
.DEFAULT_GOAL := help

DENO_VERSION := $(shell cat .deno-version)
PYTHON ?= python3
SYSTEM_DENO := $(shell command -v deno 2>/dev/null)
SYSTEM_DENO_VERSION := $(if $(SYSTEM_DENO),$(word 2,$(shell $(SYSTEM_DENO) --version 2>/dev/null | head -n 1)))
ifeq ($(SYSTEM_DENO_VERSION),$(DENO_VERSION))
DENO := $(SYSTEM_DENO)
DENO_TARGET :=
else
DENO := $(CURDIR)/.tools/deno/node_modules/.bin/deno
DENO_TARGET := $(DENO)
endif
VENV := $(CURDIR)/.venv
# Checkov pins older packaging, networkx and cachetools than MLflow and DVC take: its own venv.
CHECKOV_VENV := $(CURDIR)/.tools/checkov
# The tools' folders go first on PATH so that dvc stages, deno tasks and Jupyter find the
# pinned versions; RUST_BACKTRACE would append a useless backtrace to every Deno error.
export PATH := $(dir $(DENO)):$(VENV)/bin:$(PATH)
export JUPYTER_PATH := $(CURDIR)/.jupyter
export NO_COLOR := 1
unexport RUST_BACKTRACE

.PHONY: help setup pipeline test check lab mlflow-ui serve bench images stack-up stack-down requirements clean-tools

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

setup: $(DENO_TARGET) node_modules/.deno-install.stamp $(VENV)/.requirements.stamp $(CHECKOV_VENV)/.requirements.stamp .jupyter/kernels/deno/kernel.json ## Install the pinned toolchain (idempotent)

pipeline: setup ## Run the whole pipeline (dvc repro) with a local MLflow server
	deno task pipeline

test: setup ## Check formatting, lint, types, cell export and notebooks, then run every test and doc example
	deno task ok

check: setup ## fmt --check, lint, type check, exported-cell drift
	deno task check

# JupyterLab keeps its settings, workspaces and runtime files in .jupyter/, not in ~
# (tools/notebooks/jupyter_dirs.py). The models notebook reads the runs of the MLflow server
# `deno task mlflow start` starts or reuses (or of the one MLFLOW_TRACKING_URI names).
lab: setup ## Open JupyterLab on the notebooks with the Deno kernel and the local MLflow server
	@uri=$$(deno task --quiet mlflow start) && deno task --quiet mlflow ui && \
	  MLFLOW_TRACKING_URI=$$uri $(VENV)/bin/python tools/notebooks/lab.py $(if $(filter 0,$(shell id -u)),--allow-root)

mlflow-ui: setup ## Start (or reuse) the local MLflow server and print its URL
	deno task mlflow-ui

serve: setup ## Serve the champion model over HTTP
	deno task serve

bench: setup ## Print the speed benchmarks
	deno task bench

images: setup ## Build the stack's images with podman, local base images included
	deno task images

# The stack under podman-compose on the local images; docker users run `docker compose up`.
COMPOSE_LOCAL := CONTAINERS_CONF=$${CONTAINERS_CONF:-$(CURDIR)/container/containers.conf} \
  podman-compose -f compose.yaml -f container/compose.local.yaml

stack-up: images ## Start the compose stack with podman (settings in .env)
	$(COMPOSE_LOCAL) up -d

stack-down: setup ## Stop the compose stack (volumes kept)
	$(COMPOSE_LOCAL) down

$(CURDIR)/.tools/deno/node_modules/.bin/deno: .deno-version
	@command -v npm >/dev/null || { echo "npm is needed to fetch Deno $(DENO_VERSION)"; exit 1; }
	npm install --silent --no-audit --no-fund --prefix .tools/deno deno@$(DENO_VERSION)
	@touch $@

node_modules/.deno-install.stamp: deno.lock deno.json $(DENO_TARGET)
	deno install --frozen
	@touch $@

$(VENV)/.requirements.stamp: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# About 45 s and 290 MiB (boto3 and the rest of Checkov's dependencies).
$(CHECKOV_VENV)/.requirements.stamp: requirements-checkov.txt
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	@touch $@

.jupyter/kernels/deno/kernel.json: tools/notebooks/install_kernel.sh .deno-version
	bash tools/notebooks/install_kernel.sh "$(DENO)"

requirements: ## Re-resolve requirements.txt from requirements.in in a throwaway venv
	rm -rf .tools/resolve && $(PYTHON) -m venv .tools/resolve
	.tools/resolve/bin/pip install --quiet --disable-pip-version-check -r requirements.in
	{ echo '# Generated from requirements.in by `make requirements` (pip freeze of a fresh venv); do not edit.'; \
	  .tools/resolve/bin/pip freeze --exclude-editable; } > requirements.txt
	rm -rf .tools/resolve && $(PYTHON) -m venv .tools/resolve
	.tools/resolve/bin/pip install --quiet --disable-pip-version-check -r requirements-checkov.in
	{ echo '# Generated from requirements-checkov.in by `make requirements` (pip freeze of a fresh venv); do not edit.'; \
	  .tools/resolve/bin/pip freeze --exclude-editable; } > requirements-checkov.txt
	rm -rf .tools/resolve

clean-tools: ## Remove the project-local toolchain (it is reinstalled on demand)
	rm -rf .tools .venv node_modules .jupyter
