"""A document's own (embedded) display XSLT: find it, vet it, run it in a sandbox.

GİB requires every e-Fatura to carry its display stylesheet (Entegrasyon Kılavuzu §4.3), base64
in a ``cac:AdditionalDocumentReference`` whose ``cbc:DocumentType`` is ``XSLT`` or whose
attachment's ``filename`` ends in ``.xslt`` (GİB's 2013 samples have no DocumentType). A
received invoice's stylesheet is written by a stranger, so:

1. static checks here: size cap, parsed with :func:`entegrator.ubl.xml.parse` (no DTD, no
   entities, no network), root must be an XSLT stylesheet, no ``xsl:include``/``xsl:import``
   (libxslt resolves those while compiling, before any access control applies);
2. it runs in a child process (:mod:`._sandbox_worker`) with lxml's ``XSLTAccessControl``
   denying every file and network read/write and directory creation (so ``document()`` and
   ``exsl:document`` fail), no Python extension functions, EXSLT regular expressions off,
   ``RLIMIT_AS``/``RLIMIT_CPU`` set, writes to files forbidden (``RLIMIT_FSIZE`` 0), an
   environment of its own, and a wall-clock timeout after which it is killed.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import subprocess
import sys
from typing import Final

from lxml import etree

from entegrator.render.config import SandboxLimits
from entegrator.render.errors import EmbeddedStylesheetError
from entegrator.ubl import ns, xml

__all__ = ["check_stylesheet", "find_embedded_stylesheet", "run_sandboxed"]

_WORKER: Final = "entegrator.render._sandbox_worker"
#: Exit codes of the worker and what they mean (the worker writes details to stderr).
EXIT_UNSAFE: Final = 3
EXIT_FAILED: Final = 4
EXIT_TOO_LARGE: Final = 5


def _is_stylesheet_reference(ref: etree._Element) -> bool:
    doc_type = (ref.findtext("cbc:DocumentType", "", ns.NS) or "").strip().upper()
    obj = ref.find("cac:Attachment/cbc:EmbeddedDocumentBinaryObject", ns.NS)
    filename = (obj.get("filename") or "").lower() if obj is not None else ""
    return doc_type == "XSLT" or filename.endswith((".xslt", ".xsl"))


def find_embedded_stylesheet(root: etree._Element, limits: SandboxLimits) -> bytes:
    """Decode the document's embedded XSLT; raise ``EmbeddedStylesheetError`` if there is none."""
    for ref in root.iterfind("cac:AdditionalDocumentReference", ns.NS):
        if not _is_stylesheet_reference(ref):
            continue
        obj = ref.find("cac:Attachment/cbc:EmbeddedDocumentBinaryObject", ns.NS)
        text = "".join((obj.text or "").split()) if obj is not None else ""
        if not text:
            continue
        if len(text) * 3 // 4 > limits.max_stylesheet_bytes:
            raise EmbeddedStylesheetError(
                f"Gömülü XSLT çok büyük (sınır {limits.max_stylesheet_bytes} bayt)",
                problem="unsafe",
            )
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise EmbeddedStylesheetError(
                "Gömülü XSLT geçerli bir base64 verisi değil", problem="unsafe"
            ) from exc
    raise EmbeddedStylesheetError("Belgede gömülü XSLT yok", problem="missing")


def check_stylesheet(data: bytes, limits: SandboxLimits) -> etree._Element:
    """Parse ``data`` and refuse anything outside the sandbox rules; return the root."""
    if len(data) > limits.max_stylesheet_bytes:
        raise EmbeddedStylesheetError(
            f"Gömülü XSLT çok büyük: {len(data)} bayt (sınır {limits.max_stylesheet_bytes})",
            problem="unsafe",
        )
    try:
        root = xml.parse(data, max_bytes=limits.max_stylesheet_bytes)
    except xml.XmlError as exc:
        raise EmbeddedStylesheetError(
            f"Gömülü XSLT okunamadı: {exc.message}", problem="unsafe"
        ) from exc
    if root.tag not in (f"{{{ns.XSL}}}stylesheet", f"{{{ns.XSL}}}transform"):
        raise EmbeddedStylesheetError("Gömülü belge bir XSLT stil sayfası değil", problem="unsafe")
    for element in root.iter(f"{{{ns.XSL}}}include", f"{{{ns.XSL}}}import"):
        href = element.get("href", "")
        raise EmbeddedStylesheetError(
            f"Gömülü XSLT dışarıdan dosya çekmeye çalışıyor (xsl:{etree.QName(element).localname}"
            f" {href!r}); izin verilmez",
            problem="unsafe",
        )
    return root


def _child_env() -> dict[str, str]:
    # The child sees none of our environment (no secrets), only where our packages are.
    return {"PYTHONPATH": os.pathsep.join(p for p in sys.path if p), "LC_ALL": "C.UTF-8"}


def run_sandboxed(document: bytes, stylesheet: bytes, limits: SandboxLimits) -> bytes:
    """Apply the vetted ``stylesheet`` to ``document`` in a child process; return its output."""
    check_stylesheet(stylesheet, limits)
    header = {
        "stylesheet": len(stylesheet),
        "document": len(document),
        "memory": limits.memory_bytes,
        "cpu": int(limits.timeout_seconds) + 1,
        "max_output": limits.max_output_bytes,
    }
    request = json.dumps(header).encode() + b"\n" + stylesheet + document
    try:
        done = subprocess.run(
            [sys.executable, "-s", "-m", _WORKER],
            input=request,
            capture_output=True,
            timeout=limits.timeout_seconds,
            env=_child_env(),
            cwd="/",
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise EmbeddedStylesheetError(
            f"Gömülü XSLT {limits.timeout_seconds:g} saniyede bitmedi; durduruldu",
            problem="timeout",
        ) from exc
    detail = done.stderr.decode("utf-8", "replace").strip()[:500]
    if done.returncode == 0:
        return done.stdout
    if done.returncode == EXIT_UNSAFE:
        raise EmbeddedStylesheetError(f"Gömülü XSLT reddedildi: {detail}", problem="unsafe")
    if done.returncode == EXIT_TOO_LARGE:
        raise EmbeddedStylesheetError(
            f"Gömülü XSLT çıktısı çok büyük (sınır {limits.max_output_bytes} bayt)",
            problem="failed",
        )
    if done.returncode < 0:
        raise EmbeddedStylesheetError(
            f"Gömülü XSLT süre veya bellek sınırını aştı (sinyal {-done.returncode})",
            problem="timeout",
        )
    raise EmbeddedStylesheetError(f"Gömülü XSLT çalıştırılamadı: {detail}", problem="failed")
