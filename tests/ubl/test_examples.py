"""The invoice specs in examples/: each builds to a document GİB's checks accept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from efatura_kontrol.bulgu import Bulgu

from entegrator.ubl import build_invoice, load_invoice, normalize_invoice, parse_invoice
from entegrator.ubl.model import InvoiceType, Profile

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))


def test_there_are_enough_examples() -> None:
    assert len(EXAMPLES) >= 40


def test_examples_cover_the_scenarios_and_types() -> None:
    specs = [load_invoice(path.read_bytes(), check=False) for path in EXAMPLES]
    profiles = {spec.profile for spec in specs}
    types = {spec.invoice_type for spec in specs}
    assert profiles >= {
        Profile.TEMELFATURA,
        Profile.TICARIFATURA,
        Profile.IHRACAT,
        Profile.YOLCUBERABERFATURA,
        Profile.KAMU,
    }
    assert types >= {
        InvoiceType.SATIS,
        InvoiceType.IADE,
        InvoiceType.TEVKIFAT,
        InvoiceType.TEVKIFATIADE,
        InvoiceType.ISTISNA,
        InvoiceType.OZELMATRAH,
        InvoiceType.IHRACKAYITLI,
        InvoiceType.SGK,
        InvoiceType.KOMISYONCU,
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_example_passes_gibs_checks_and_round_trips(
    path: Path, gib_findings: Callable[[bytes], list[Bulgu]]
) -> None:
    invoice = load_invoice(path.read_bytes())
    document = build_invoice(invoice)
    assert [f"{b.kod}: {b.mesaj}" for b in gib_findings(document)] == []
    assert parse_invoice(document) == normalize_invoice(invoice)
