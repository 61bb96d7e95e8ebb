"""The pipeline's first layer (safe parsing, document kind) and the engine's contract."""

from __future__ import annotations

import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from entegrator.validation import (
    DocumentKind,
    Layer,
    ValidationEngine,
    ValidationOptions,
    default_engine,
    validate,
)
from entegrator.validation.findings import GIB_NOT_XML, GIB_UNPARSABLE
from tests.validation.support import edit, error_ids, set_text

_BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol9;</Invoice>"""


def test_valid_sample_is_valid(engine: ValidationEngine, ticari: bytes) -> None:
    report = engine.validate(ticari)
    assert report.ok
    assert report.gib_code is None
    assert report.kind is DocumentKind.INVOICE
    assert report.profile_id == "TICARIFATURA"


def test_malformed_xml_is_1132(engine: ValidationEngine) -> None:
    report = engine.validate(b"<Invoice><cbc:ID>1</Invoice>")
    assert error_ids(report) == ["TR-XML-001"]
    assert report.gib_code == GIB_NOT_XML
    assert report.findings[0].line == 1


def test_empty_document_is_1132(engine: ValidationEngine) -> None:
    assert engine.validate(b"  \n ").gib_code == GIB_NOT_XML


def test_non_bytes_input_is_refused_not_raised(engine: ValidationEngine) -> None:
    report = engine.validate("<a/>")  # type: ignore[arg-type]
    assert error_ids(report) == ["TR-XML-001"]


def test_external_entity_is_refused_without_reading_it(
    engine: ValidationEngine, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("GİZLİ-İÇERİK")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&xxe;</Invoice>'
    ).encode()
    report = engine.validate(data)
    assert error_ids(report) == ["TR-XML-002"]
    assert report.gib_code == GIB_NOT_XML
    assert "GİZLİ" not in str(report.to_dict())


def test_billion_laughs_is_refused_quickly(engine: ValidationEngine) -> None:
    started = time.perf_counter()
    report = engine.validate(_BILLION_LAUGHS)
    assert error_ids(report) == ["TR-XML-002"]
    assert time.perf_counter() - started < 1.0


def test_oversize_document_is_refused_before_parsing(engine: ValidationEngine) -> None:
    data = b"<a>" + b"x" * (60 * 1024 * 1024) + b"</a>"
    tracemalloc.start()
    try:
        report = engine.validate(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error_ids(report) == ["TR-XML-003"]
    assert report.gib_code == GIB_NOT_XML
    assert peak < 1024 * 1024  # nothing was copied or parsed


def test_size_limit_is_an_option(engine: ValidationEngine, ticari: bytes) -> None:
    report = engine.validate(ticari, ValidationOptions(max_bytes=len(ticari) - 1))
    assert error_ids(report) == ["TR-XML-003"]


def test_unknown_root_is_1140(engine: ValidationEngine) -> None:
    report = engine.validate(b"<Order xmlns='urn:example'/>")
    assert error_ids(report) == ["TR-DOC-001"]
    assert report.gib_code == GIB_UNPARSABLE
    assert report.findings[0].layer is Layer.PARSE


def test_unexpected_kind_is_refused(engine: ValidationEngine, ticari: bytes) -> None:
    options = ValidationOptions(expect=frozenset({DocumentKind.ENVELOPE}))
    report = engine.validate(ticari, options)
    assert error_ids(report) == ["TR-DOC-002"]
    assert report.gib_code == GIB_UNPARSABLE


def test_expected_kind_passes(engine: ValidationEngine, ticari: bytes) -> None:
    options = ValidationOptions(expect=frozenset({DocumentKind.INVOICE}))
    assert engine.validate(ticari, options).ok


def test_utf8_bom_is_accepted(engine: ValidationEngine, ticari: bytes) -> None:
    assert engine.validate(b"\xef\xbb\xbf" + ticari).ok


def test_iso_8859_9_document_is_checked_like_utf8(engine: ValidationEngine, ticari: bytes) -> None:
    text = ticari.decode("utf-8").replace('encoding="UTF-8"', 'encoding="ISO-8859-9"', 1)
    assert 'encoding="ISO-8859-9"' in text
    assert engine.validate(text.encode("iso-8859-9")).ok


def test_despatch_advice_is_recognised(engine: ValidationEngine, samples_dir: Path) -> None:
    data = (samples_dir / "gib-ubltr-1.2.1" / "IDIS_Irsaliye.xml").read_bytes()
    report = engine.validate(data)
    assert report.kind is DocumentKind.DESPATCH_ADVICE
    assert report.ok


def test_receipt_advice_is_recognised(engine: ValidationEngine, samples_dir: Path) -> None:
    data = (samples_dir / "gib-ubltr-1.2.1" / "IrsaliyeYaniti-Ornek1.xml").read_bytes()
    assert engine.validate(data).kind is DocumentKind.RECEIPT_ADVICE


def test_default_engine_is_one_per_process() -> None:
    assert default_engine() is default_engine()


def test_module_validate_uses_the_default_engine(ticari: bytes) -> None:
    assert validate(ticari).ok


def test_engine_shared_by_threads_gives_serial_results(
    engine: ValidationEngine, ticari: bytes
) -> None:
    bad = edit(ticari, set_text("/inv:Invoice/cbc:ID", "YANLIS"))
    documents = [ticari, bad] * 8
    expected = [engine.validate(d).to_dict() for d in documents]
    results: list[object] = [None] * len(documents)

    def work(index: int) -> None:
        results[index] = engine.validate(documents[index]).to_dict()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(documents))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == expected


@pytest.mark.parametrize("layer_off", ["xsd", "schematron"])
def test_layers_can_be_switched_off(
    engine: ValidationEngine, ticari: bytes, layer_off: str
) -> None:
    broken = edit(ticari, set_text("/inv:Invoice/cbc:IssueDate", "2009-13-45"))
    options = ValidationOptions(**{layer_off: False})  # type: ignore[arg-type]
    layers = {finding.layer.value for finding in engine.validate(broken, options).errors}
    assert layer_off not in layers
    assert layers


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    index=st.integers(min_value=0, max_value=400),
    action=st.sampled_from(["text", "remove", "attribute", "duplicate"]),
    value=st.text(max_size=20),
)
def test_mutated_documents_never_raise(
    engine: ValidationEngine, ticari: bytes, index: int, action: str, value: str
) -> None:
    root = etree.fromstring(ticari)
    elements = list(root.iter(etree.Element))
    element = elements[index % len(elements)]
    clean = "".join(ch for ch in value if ch.isprintable())
    if action == "text":
        element.text = clean
    elif action == "remove" and element.getparent() is not None:
        element.getparent().remove(element)
    elif action == "attribute":
        element.set("currencyID", clean)
    elif element.getparent() is not None:
        element.addnext(etree.fromstring(etree.tostring(element)))
    report = engine.validate(etree.tostring(root, encoding="UTF-8", xml_declaration=True))
    assert report.kind is DocumentKind.INVOICE
    assert all(f.gib_code is not None for f in report.errors)


def test_encoding_python_does_not_know_is_still_checked(
    engine: ValidationEngine, ticari: bytes
) -> None:
    # libxml2 reads ARMSCII-8, Python has no codec for it: Saxon gets the re-serialised tree.
    text = ticari.decode("utf-8").replace('encoding="UTF-8"', 'encoding="ARMSCII-8"', 1)
    data = text.encode("ascii", errors="xmlcharrefreplace")
    bad = data.replace(b"<cbc:ID>GIB2009000000011<", b"<cbc:ID>X<", 1)
    assert engine.validate(data).ok
    assert "InvoiceIDCheck-1" in error_ids(engine.validate(bad))
