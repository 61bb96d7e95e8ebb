"""entegrator's own rules: the checks GİB's schematron does not make.

A rule takes one document's root element and a :class:`RuleContext` and yields findings;
nothing stops at the first problem. The rule sets per document are listed explicitly
below (no discovery). An envelope's rules run on the envelope and on every document inside
it. The catalogue of rule ids is :mod:`entegrator.validation.rules.catalog`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Final

from lxml import etree

from entegrator.ubl import ns
from entegrator.validation.findings import Finding, Severity
from entegrator.validation.kinds import DocumentKind
from entegrator.validation.locations import Locator
from entegrator.validation.options import RuleMode
from entegrator.validation.rules import arithmetic, envelope, invoice, response, signature
from entegrator.validation.rules._base import Rule, RuleContext

__all__ = ["APPLICATION_RESPONSE_RULES", "INVOICE_RULES", "Rule", "RuleContext", "run_rules"]

INVOICE_RULES: Final[tuple[Rule, ...]] = (
    arithmetic.check_invoice,
    invoice.check_currency,
    invoice.check_lines,
    invoice.check_header,
    signature.check_signatures,
)
APPLICATION_RESPONSE_RULES: Final[tuple[Rule, ...]] = (
    response.check_dates,
    signature.check_signatures,
)
_BY_ROOT: Final[Mapping[str, tuple[Rule, ...]]] = {
    ns.qname(ns.INV, "Invoice"): INVOICE_RULES,
    ns.qname(ns.APR, "ApplicationResponse"): APPLICATION_RESPONSE_RULES,
}


def run_rules(
    root: etree._Element, kind: DocumentKind, locator: Locator, mode: RuleMode
) -> list[Finding]:
    """Run the rules that apply to ``root`` (and, for an envelope, to its documents)."""
    if mode is RuleMode.OFF:
        return []
    ctx = RuleContext(locator)
    findings: list[Finding] = []
    documents = [root]
    if kind is DocumentKind.ENVELOPE:
        documents = envelope.documents_in(root)
        findings.extend(envelope.check_duplicates(documents, ctx))
    for document in documents:
        for rule in _BY_ROOT.get(document.tag, ()):
            findings.extend(rule(document, ctx))
    if mode is RuleMode.ADVISE:
        findings = [_advisory(finding) for finding in findings]
    return findings


def _advisory(finding: Finding) -> Finding:
    if finding.severity is not Severity.ERROR:
        return finding
    return dataclasses.replace(finding, severity=Severity.WARNING)
