"""Every error efatura-kontrol's ``kontrol_et`` reports on GİB's samples, we report too.

The mapping (also in docs/decisions/validation-rules.md) is by rule and line:

=========================  ==========================================================
kontrol_et code            our finding
=========================  ==========================================================
``sch-<id>``               rule ``<id>`` (GİB's assert id), same source line
``sch-degerlendirme``      rule ``sch-error``
``xsd-<type>``             rule ``xsd-<type>``, same libxml2 message (``detail``), line
``xml-bicim``              ``TR-XML-001`` (or ``TR-XML-002`` when it is a DTD)
``xml-boyut``              ``TR-XML-003``
``xml-kok``                ``TR-DOC-001``
``imza-yapi``              ``TR-SIG-001``, same line (the ds:Signature)
``imza-referans``          ``TR-SIG-002``, same line (the ds:Reference)
=========================  ==========================================================

Each kontrol_et error must be matched by a distinct error of ours.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from efatura_kontrol.bulgu import Bulgu
from efatura_kontrol.kontrol import kontrol_et

from entegrator.validation import Finding, ValidationEngine
from tests.conftest import SAMPLES

_SAMPLES = sorted(
    path
    for folder in ("gib-ubltr-1.2.1", "gib-efatura-paketi")
    for path in (SAMPLES / folder).glob("*.xml")
)
_BY_CODE = {
    "sch-degerlendirme": ("sch-error",),
    "xml-bicim": ("TR-XML-001", "TR-XML-002"),
    "xml-boyut": ("TR-XML-003",),
    "xml-kok": ("TR-DOC-001",),
}
_WITH_LINE = {"imza-yapi": "TR-SIG-001", "imza-referans": "TR-SIG-002"}


def _matches(theirs: Bulgu, ours: Finding) -> bool:
    code = theirs.kod
    if code in _BY_CODE:
        return ours.rule in _BY_CODE[code]
    if code in _WITH_LINE:
        return ours.rule == _WITH_LINE[code] and ours.line == theirs.satir
    if code.startswith("xsd-"):
        return (ours.rule, ours.detail, ours.line) == (code, theirs.mesaj, theirs.satir)
    if code.startswith("sch-"):
        return ours.rule == code.removeprefix("sch-") and ours.line == theirs.satir
    return False


def test_samples_are_all_covered() -> None:
    assert len(_SAMPLES) >= 70
    assert any(path.name.endswith("_ZARF.xml") for path in _SAMPLES)


@pytest.mark.parametrize("path", _SAMPLES, ids=lambda p: p.name)
def test_every_kontrol_et_error_is_reported(engine: ValidationEngine, path: Path) -> None:
    data = path.read_bytes()
    theirs = [b for b in kontrol_et(data).bulgular if b.seviye == "hata"]
    unmatched = list(engine.validate(data).errors)
    missing = []
    for finding in theirs:
        match = next((ours for ours in unmatched if _matches(finding, ours)), None)
        if match is None:
            missing.append((finding.kod, finding.satir))
        else:
            unmatched.remove(match)
    assert missing == []


def test_parity_is_not_vacuous() -> None:
    codes = Counter(
        b.kod.split("-")[0]
        for path in _SAMPLES
        for b in kontrol_et(path.read_bytes()).bulgular
        if b.seviye == "hata"
    )
    assert {"sch", "xsd", "xml", "imza"} <= set(codes)
