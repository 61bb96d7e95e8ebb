"""Application response rules (``TR-AR-…``): KABUL/RED/IADE and system responses.

TR-AR-001: a response cannot be older than the document it answers — ``cbc:IssueDate`` of
the response is not before ``cac:DocumentResponse/cac:DocumentReference/cbc:IssueDate``
(GİB's schematron checks that the reference exists, not the order of the dates).
"""

from __future__ import annotations

import re
from typing import Final

from lxml import etree

from entegrator.ubl import ns
from entegrator.validation.findings import Finding
from entegrator.validation.rules._base import RuleContext, text

__all__ = ["check_dates"]

_ISSUE_DATE = ns.cbc("IssueDate")
_REFERENCED_DATES: Final = "/".join(
    (ns.cac("DocumentResponse"), ns.cac("DocumentReference"), ns.cbc("IssueDate"))
)
_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_dates(response: etree._Element, ctx: RuleContext) -> list[Finding]:
    """TR-AR-001."""
    issued = text(response, _ISSUE_DATE)
    if issued is None or not _DATE.match(issued):
        return []
    findings: list[Finding] = []
    for referenced in response.iterfind(_REFERENCED_DATES):
        value = (referenced.text or "").strip()
        if _DATE.match(value) and issued < value:
            findings.append(
                ctx.at(
                    "TR-AR-001",
                    response.find(_ISSUE_DATE),
                    f"Yanıt tarihi {issued}, yanıtlanan belgenin tarihi {value} öncesinde",
                )
            )
    return findings
