"""Tests for entegrator.ubl.jsonschema (the schema ``entegrator schema invoice`` prints)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from entegrator.ubl.jsonschema import SCHEMA_DIALECT, invoice_json_schema


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = invoice_json_schema()
    assert schema["$schema"] == SCHEMA_DIALECT
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_refuses_unknown_fields() -> None:
    validator = jsonschema.Draft202012Validator(invoice_json_schema())
    assert not validator.is_valid({"profile": "TEMELFATURA", "surprise": 1})


def test_fields_are_described_in_turkish() -> None:
    properties = invoice_json_schema()["properties"]
    assert properties["profile"]["description"] == "Senaryo (ProfileID)"
    assert properties["lines"]["minItems"] == 1


def test_every_example_matches_the_schema(examples_dir: Path) -> None:
    validator = jsonschema.Draft202012Validator(invoice_json_schema())
    for path in sorted(examples_dir.glob("*.json")):
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        if errors:
            pytest.fail(f"{path.name}: {errors[0].message}")
