"""``entegrator sign`` and ``entegrator verify`` (src/entegrator/cli/seal.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from entegrator.cli.main import main
from entegrator.signing import VerificationPolicy, verify_bytes
from entegrator.signing.devpki import IssuedSeal
from entegrator.signing.softhsm import SoftHsmToken
from entegrator.types import Secret


@pytest.fixture
def invoice_file(tmp_path: Path, invoice_bytes: bytes) -> Path:
    path = tmp_path / "fatura.xml"
    path.write_bytes(invoice_bytes)
    return path


@pytest.fixture
def supplier_p12(tmp_path: Path, supplier: IssuedSeal, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "aaa.p12"
    path.write_bytes(supplier.pkcs12(Secret("p12-parola")))
    monkeypatch.setenv("MUHUR_PAROLA", "p12-parola")
    return path


def test_sign_with_a_pkcs12_file(
    invoice_file: Path, supplier_p12: Path, trust_dir: Path, policy: VerificationPolicy
) -> None:
    out = invoice_file.with_name("imzali.xml")
    argv = ["sign", str(invoice_file), "-o", str(out), "--p12", str(supplier_p12)]
    assert main([*argv, "--password-env", "MUHUR_PAROLA", "--trust", str(trust_dir)]) == 0
    assert verify_bytes(out.read_bytes(), policy).signer_id == "1288331521"


@pytest.mark.hsm
def test_sign_with_a_pkcs11_token(
    invoice_file: Path,
    softhsm: SoftHsmToken,
    trust_dir: Path,
    policy: VerificationPolicy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MUHUR_PIN", softhsm.pin.reveal())
    out = invoice_file.with_name("imzali.xml")
    argv = [
        "sign", str(invoice_file), "-o", str(out), "--pkcs11-module", str(softhsm.module),
        "--token", softhsm.label, "--pin-env", "MUHUR_PIN", "--key-label", "aaa",
        "--trust", str(trust_dir),
    ]  # fmt: skip
    assert main(argv) == 0
    assert verify_bytes(out.read_bytes(), policy).signer_id == "1288331521"


def test_sign_refuses_a_seal_of_another_taxpayer(
    tmp_path: Path,
    response_bytes: bytes,
    supplier_p12: Path,
    trust_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "yanit.xml"
    source.write_bytes(response_bytes)
    out = tmp_path / "imzali.xml"
    argv = ["sign", str(source), "-o", str(out), "--p12", str(supplier_p12)]
    assert main([*argv, "--password-env", "MUHUR_PAROLA", "--trust", str(trust_dir)]) == 2
    assert "9205121120" in capsys.readouterr().err
    assert not out.exists()


def test_verify_reports_each_file_as_json(
    invoice_file: Path,
    supplier_p12: Path,
    trust_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    signed = invoice_file.with_name("imzali.xml")
    argv = ["sign", str(invoice_file), "-o", str(signed), "--p12", str(supplier_p12)]
    main([*argv, "--password-env", "MUHUR_PAROLA", "--trust", str(trust_dir)])
    tampered = invoice_file.with_name("bozuk.xml")
    tampered.write_bytes(signed.read_bytes().replace(b"Papatya", b"Lale", 1))
    capsys.readouterr()
    status = main(["verify", str(signed), str(tampered), "--trust", str(trust_dir), "--json"])
    reports = json.loads(capsys.readouterr().out)
    assert status == 1
    assert [(r["gecerli"], r.get("kod"), r.get("imzaci")) for r in reports] == [
        (True, None, "1288331521"),
        (False, 1177, None),
    ]


def test_verify_prints_one_line_per_file(
    invoice_file: Path, trust_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(invoice_file), "--trust", str(trust_dir)]) == 1
    assert capsys.readouterr().out.startswith(f"GEÇERSİZ  {invoice_file}: [1177]")


def test_verify_needs_a_trust_store(
    invoice_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENTEGRATOR_TRUST_DIR", raising=False)
    assert main(["verify", str(invoice_file)]) == 2
    assert "--trust" in capsys.readouterr().err
