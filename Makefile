# Every target sets up what it needs: a fresh clone runs `make chat` or `make test` directly.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat test test-moved-clock package build-SkillFunction bench fuzz lint nlu-eval certify skill-package icons clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[web,test,audio,lint,icons]'
	touch $(STAMP)

## chat: talk to the skill on this machine (progress in a local SQLite file)
chat: $(STAMP)
	$(BIN)/leg-skill chat $(ARGS)

## test: the whole suite, in two processes (pytest-xdist; each starts its own DynamoDB Local,
## which needs Java 17+ and npm)
test: $(STAMP)
	$(BIN)/python -m pytest -n 2

## test-moved-clock: the suite twice under libfaketime (needs Debian's faketime): a month's last
## minute more than a year ahead, and a time that is already tomorrow in Pacific/Kiritimati
test-moved-clock: $(STAMP)
	bash scripts/moved_clock.sh

## package: build/lambda.zip and the template `sam deploy` uses (needs PyPI, not AWS)
package: $(STAMP)
	$(BIN)/python scripts/build_lambda.py

## build-SkillFunction: what `sam build` runs (template.yaml's makefile build method): the
## package `make package` builds, copied into SAM's ARTIFACTS_DIR; needs python3.11+ and PyPI
build-SkillFunction:
	$(PYTHON) scripts/build_lambda.py --artifacts "$(ARTIFACTS_DIR)"

## bench: cold start, warm turns, DynamoDB work per round, web host, package size
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python scripts/bench.py

## fuzz: 60 s of coverage-guided fuzzing of the request path (atheris); crashes go to build/fuzz/
fuzz: $(STAMP)
	$(BIN)/pip install --quiet -e '.[fuzz]'
	$(BIN)/python scripts/fuzz.py -max_total_time=60

## lint: ruff (lint and format), mypy --strict on skill/, cfn-lint on the SAM template
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/cfn-lint template.yaml

## nlu-eval: the NLU annotation sets (nlu/) through the models: accuracy,
## precision and recall per intent, confusions; fails under 98% or on a state-changing confusion
nlu-eval: $(STAMP)
	$(BIN)/python -m skill.nlu eval --min-accuracy 0.98

## certify: the certification checklist on the committed skill package, PASS or FAIL per item
## (its placeholder endpoint ARN and example.com privacy URLs are allowed here)
certify: $(STAMP)
	$(BIN)/leg-skill certify --allow-placeholders

## skill-package: build/skill-package/ and .zip to submit, certified with no placeholder:
## make skill-package ARN=arn:aws:lambda:... (or STACK=leg-exercises) PRIVACY_URL=https://...
skill-package: $(STAMP)
	$(BIN)/leg-skill skill-package $(if $(STACK),--stack "$(STACK)",--function-arn "$(ARN)") \
		--privacy-base-url "$(PRIVACY_URL)"

## icons: redraw interaction_model/assets/images/*.png from the exercise drawings (Pillow)
icons: $(STAMP)
	$(BIN)/python -m skill.icons

clean:
	rm -rf $(VENV) build .tools .pytest_cache .aws-sam
