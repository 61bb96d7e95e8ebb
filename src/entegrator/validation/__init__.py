"""validation — checks an invoice, an application response or an envelope in layers.

Safe parsing, GİB's XSD, GİB's schematron (efatura-kontrol's compiled rules, one engine per
process) and the checks the schematron does not make (arithmetic, cross-field rules,
signature structure). Every finding carries its severity, the GİB status code it maps to, a
rule id, a Turkish message and a location. Rule: no I/O beyond packaged resources; depends
only on ubl.

>>> report = validate(b"<not-a-document/>")
>>> report.ok, report.gib_code, report.findings[0].rule
(False, 1140, 'TR-DOC-001')
"""

from entegrator.validation.engine import (
    ValidationEngine,
    default_engine,
    ensure_valid,
    oversize_report,
    validate,
)
from entegrator.validation.errors import DocumentInvalid
from entegrator.validation.findings import Finding, Layer, Severity
from entegrator.validation.kinds import DocumentKind
from entegrator.validation.options import RuleMode, ValidationOptions
from entegrator.validation.pool import ValidationPool, validate_many
from entegrator.validation.report import ValidationReport

__all__ = [
    "DocumentInvalid",
    "DocumentKind",
    "Finding",
    "Layer",
    "RuleMode",
    "Severity",
    "ValidationEngine",
    "ValidationOptions",
    "ValidationPool",
    "ValidationReport",
    "default_engine",
    "ensure_valid",
    "oversize_report",
    "validate",
    "validate_many",
]
