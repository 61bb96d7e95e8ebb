"""Layer 3: GİB's schematron (UBL-TR_Main_Schematron, e-Fatura Paketi), run by Saxon.

efatura-kontrol ships GİB's schematron compiled to XSLT 3.0 by SchXslt2 (``efatura.xsl``).
A :class:`SchematronRunner` owns one Saxon processor and compiles that stylesheet once, in
its lean form (:mod:`entegrator.validation.lean`: same rules, no report-only output, code-list
lookups answered from an index — :mod:`entegrator.validation.codelists`). The
executable that was compiled is never given a parameter; it is cloned once per value of the
schematron's ``type`` parameter (``efatura``/``earchive``) and the clones get the parameter.
That order matters: in saxonche 13.1.1, ``clone()`` of an executable whose parameter was
set crashes the process. Saxon objects are not thread-safe, so every call holds a lock
(threads gain nothing here anyway: Saxon's transform does not run in parallel).

The document is handed to Saxon once, as text; the SVRL result is only parsed when it
contains a failure. Rule ids are GİB's assert ids as numbered by efatura-kontrol
(``InvoiceIDCheck-1``); a dynamic error while evaluating the rules gives ``sch-error``.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Final

from lxml import etree

from entegrator.ubl import ns
from entegrator.validation.findings import GIB_SCHEMATRON, Finding, Layer, Severity
from entegrator.validation.lean import lean_stylesheet

if TYPE_CHECKING:
    from entegrator.validation.locations import Locator

__all__ = ["EARCHIVE", "EFATURA", "SchematronRunner"]

#: Values of the schematron's ``type`` parameter.
EFATURA: Final = "efatura"
EARCHIVE: Final = "earchive"

_SVRL_FAILED = ns.qname(ns.SVRL, "failed-assert")
_SVRL_REPORT = ns.qname(ns.SVRL, "successful-report")
_SVRL_ERROR = ns.qname(ns.SVRL, "error")
_SVRL_TEXT = ns.qname(ns.SVRL, "text")
#: Substrings whose absence proves that the SVRL holds no finding (saves a parse).
_MARKERS: Final = ("failed-assert", "successful-report", "svrl:error")


class SchematronRunner:
    """GİB's schematron compiled once in one Saxon processor; callable from any thread."""

    def __init__(self, locator: Locator, *, indexed: bool = True) -> None:
        from saxonche import PySaxonProcessor  # heavy native library: load on first use

        self._locator = locator
        self._lock = threading.Lock()
        self._processor = PySaxonProcessor(license=False)
        compiler = self._processor.new_xslt30_processor()
        # Kept referenced for the clones' lifetime; it never gets a parameter.
        self._compiled = compiler.compile_stylesheet(
            stylesheet_text=lean_stylesheet(indexed=indexed)
        )
        self._executables: dict[str, Any] = {}
        for value in (EFATURA, EARCHIVE):
            executable = self._compiled.clone()
            executable.set_parameter("type", self._processor.make_string_value(value))
            self._executables[value] = executable

    def check(self, text: str, root: etree._Element, einvoice_type: str) -> list[Finding]:
        """Run the rules on ``text`` (the document; ``root`` is its lxml tree, for lines)."""
        from saxonche import PySaxonApiError

        executable = self._executables[einvoice_type]
        try:
            with self._lock:
                node = self._processor.parse_xml(xml_text=text)
                svrl = executable.transform_to_string(xdm_node=node)
        except PySaxonApiError as exc:
            return [_error_finding(str(exc).strip())]
        if svrl is None or not any(marker in svrl for marker in _MARKERS):
            return []
        return self._findings(etree.fromstring(svrl.encode("utf-8")), root)

    def _findings(self, svrl: etree._Element, root: etree._Element) -> list[Finding]:
        findings: list[Finding] = []
        for node in svrl.iter(_SVRL_FAILED, _SVRL_REPORT, _SVRL_ERROR):
            if node.tag == _SVRL_ERROR:
                description = " ".join("".join(node.itertext()).split())
                findings.append(_error_finding(f"{node.get('code')}: {description}"))
                continue
            text = node.find(_SVRL_TEXT)
            message = " ".join("".join(text.itertext()).split()) if text is not None else ""
            location = node.get("location")
            xpath = self._locator.from_eqname_path(location) if location else None
            findings.append(
                Finding(
                    rule=node.get("id") or "sch-unnamed",
                    layer=Layer.SCHEMATRON,
                    gib_code=GIB_SCHEMATRON,
                    message=message,
                    severity=Severity.ERROR if node.tag == _SVRL_FAILED else Severity.WARNING,
                    xpath=xpath,
                    line=self._locator.line(root, xpath) if xpath else None,
                    detail=node.get("test"),
                )
            )
        return findings


def _error_finding(detail: str) -> Finding:
    return Finding(
        rule="sch-error",
        layer=Layer.SCHEMATRON,
        gib_code=GIB_SCHEMATRON,
        message="GİB şematron kuralları bu belge üzerinde değerlendirilemedi",
        detail=detail,
    )
