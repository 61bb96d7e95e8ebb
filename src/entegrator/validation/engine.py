"""The validation pipeline and its per-process engine.

:class:`ValidationEngine` runs the layers in GİB's order on the bytes of one invoice,
application response, e-İrsaliye document or envelope (with the documents inside it):

1. safe parsing through :func:`entegrator.ubl.xml.parse_tree` (no DTD, no entities, no
   network, size cap checked before anything is read) — 1132/1140;
2. GİB's XSD on the parsed tree — 1160;
3. GİB's schematron in Saxon, with ``type=efatura|earchive`` — 1150;
4. entegrator's own rules (arithmetic, cross-field, signature structure) on the same tree.

Building an engine compiles GİB's stylesheet (a few hundred milliseconds) and each XSD, so
one engine is kept per process (:func:`default_engine`, a documented per-process cache keyed
by process id, so a forked child builds its own instead of touching the parent's Saxon).
An engine may be shared by threads; its Saxon and XSD calls are serialised.
"""

from __future__ import annotations

import os
import threading
from typing import Final

from lxml import etree

from entegrator.ubl import ns
from entegrator.ubl.xml import XmlError, parse_tree
from entegrator.validation.findings import Finding
from entegrator.validation.kinds import DocumentKind, RootTable
from entegrator.validation.locations import Locator
from entegrator.validation.options import ValidationOptions
from entegrator.validation.report import ValidationReport
from entegrator.validation.rules import envelope, run_rules
from entegrator.validation.rules.catalog import make_finding
from entegrator.validation.schematron import EARCHIVE, EFATURA, SchematronRunner
from entegrator.validation.xsd import SchemaSet

__all__ = ["ValidationEngine", "default_engine", "ensure_valid", "oversize_report", "validate"]

_DEFAULT_OPTIONS: Final = ValidationOptions()
_PROFILE_ID = ns.cbc("ProfileID")
_EARCHIVE_PROFILE: Final = "EARSIVFATURA"


def _refusal(rule: str, message: str, *, line: int | None = None) -> ValidationReport:
    return ValidationReport.of(None, [make_finding(rule, message, line=line)])


def oversize_report(size: int, max_bytes: int) -> ValidationReport:
    """The report for a document refused by size alone (nothing was read or parsed)."""
    return _refusal("TR-XML-003", f"Belge {size} bayt; sınır {max_bytes} bayt")


class ValidationEngine:
    """GİB's XSDs and schematron, compiled once, plus entegrator's rules.

    ``index_code_lists=False`` runs GİB's code-list lookups as written (slower, same
    answers; see :mod:`entegrator.validation.codelists`).
    """

    def __init__(self, *, index_code_lists: bool = True) -> None:
        self.pid = os.getpid()
        self._indexed = index_code_lists
        self._roots = RootTable()
        prefixes = {uri: prefix for prefix, uri in ns.NS.items()}
        prefixes.update(self._roots.namespaces())
        self.locator = Locator(prefixes)
        self._schemas = SchemaSet()
        self._schema_lock = threading.Lock()
        self._runner_lock = threading.Lock()
        self._runner: SchematronRunner | None = None

    def _schematron(self) -> SchematronRunner:
        with self._runner_lock:
            if self._runner is None:
                self._runner = SchematronRunner(self.locator, indexed=self._indexed)
            return self._runner

    def warm(self) -> ValidationEngine:
        """Compile every XSD and the schematron now instead of on first use."""
        with self._schema_lock:
            self._schemas.load_all()
        self._schematron()
        return self

    def validate(self, data: bytes, options: ValidationOptions | None = None) -> ValidationReport:
        """Validate one document given as the exact bytes that are (or will be) sent."""
        options = options or _DEFAULT_OPTIONS
        if not isinstance(data, bytes | bytearray | memoryview):
            return _refusal("TR-XML-001", "Belge bayt dizisi olarak verilmeli")
        if len(data) > options.max_bytes:
            return oversize_report(len(data), options.max_bytes)
        data = bytes(data)  # no copy for bytes
        if not data or data.isspace():
            return _refusal("TR-XML-001", "Belge boş")
        try:
            tree = parse_tree(data, max_bytes=options.max_bytes)
        except XmlError as exc:
            # A DTD is refused whether libxml2 stopped on it (entity amplification) or
            # parse_tree refused the parsed DOCTYPE afterwards.
            if isinstance(exc.__cause__, etree.XMLSyntaxError) and b"<!DOCTYPE" not in data:
                return _refusal("TR-XML-001", exc.message, line=exc.line)
            return _refusal("TR-XML-002", exc.message, line=exc.line)
        root = tree.getroot()
        kind = self._roots.kind_of(root.tag)
        if kind is None:
            return _refusal(
                "TR-DOC-001", f"Tanınmayan kök eleman: {root.tag}", line=root.sourceline
            )
        if options.expect is not None and kind not in options.expect:
            expected = ", ".join(sorted(k.value for k in options.expect))
            return _refusal("TR-DOC-002", f"Belge türü {kind.value}; beklenen: {expected}")
        return self._layers(data, tree, kind, options)

    def _layers(
        self,
        data: bytes,
        tree: etree._ElementTree,
        kind: DocumentKind,
        options: ValidationOptions,
    ) -> ValidationReport:
        root = tree.getroot()
        first = root
        if kind is DocumentKind.ENVELOPE:
            inner = envelope.documents_in(root)
            first = inner[0] if inner else root
        profile_id = first.findtext(_PROFILE_ID)
        profile_id = profile_id.strip() if profile_id else None
        findings: list[Finding] = []
        if options.xsd:
            with self._schema_lock:
                findings.extend(self._schemas.check(kind, tree, self.locator))
        if options.schematron and not (options.skip_schematron_after_xsd_errors and findings):
            earchive = options.earchive
            if earchive is None:
                earchive = profile_id == _EARCHIVE_PROFILE
            findings.extend(
                self._schematron().check(_text(data, tree), root, EARCHIVE if earchive else EFATURA)
            )
        findings.extend(run_rules(root, kind, self.locator, options.rules))
        return ValidationReport.of(kind, findings, profile_id)


def _text(data: bytes, tree: etree._ElementTree) -> str:
    """The document as text for Saxon, decoded once (a UTF-8 BOM is dropped).

    An encoding libxml2 knows but Python does not is re-serialised from the parsed tree.
    """
    encoding = (tree.docinfo.encoding or "utf-8").lower()
    try:
        return data.decode("utf-8-sig" if encoding in ("utf-8", "utf8") else encoding)
    except (LookupError, UnicodeDecodeError):
        return etree.tostring(tree, encoding="unicode")


#: One engine per process (keyed by pid: a forked child must not reuse the parent's Saxon).
_ENGINES: dict[int, ValidationEngine] = {}
_ENGINES_LOCK = threading.Lock()


def default_engine() -> ValidationEngine:
    """This process's engine, built on first use."""
    pid = os.getpid()
    engine = _ENGINES.get(pid)
    if engine is None:
        with _ENGINES_LOCK:
            engine = _ENGINES.get(pid)
            if engine is None:
                # A parent's engine inherited through fork stays referenced, never used:
                # releasing its Saxon objects in the child is not safe.
                engine = _ENGINES[pid] = ValidationEngine()
    return engine


def validate(
    data: bytes,
    options: ValidationOptions | None = None,
    *,
    engine: ValidationEngine | None = None,
) -> ValidationReport:
    """Validate one document (bytes) with this process's engine; never raises for bad input."""
    return (engine or default_engine()).validate(data, options)


def ensure_valid(
    data: bytes,
    options: ValidationOptions | None = None,
    *,
    engine: ValidationEngine | None = None,
) -> ValidationReport:
    """Like :func:`validate`, but raise :class:`DocumentInvalid` when there is an error."""
    return validate(data, options, engine=engine).raise_for_errors()
