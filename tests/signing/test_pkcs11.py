"""Signing with a key inside SoftHSM2 (real PKCS#11): threads, processes, broken sessions."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pkcs11
import pytest

from entegrator.signing import (
    Pkcs11Signer,
    SealConfigurationError,
    SealRegistry,
    SigningConfig,
    TaxpayerSeal,
    TokenSession,
    TrustStore,
    VerificationPolicy,
    make_seal,
    sign_bytes,
    verify_bytes,
)
from entegrator.signing.devpki import DevPki, IssuedSeal
from entegrator.signing.softhsm import SoftHsmToken
from entegrator.types import Secret

pytestmark = pytest.mark.hsm

SUPPLIER_VKN = "1288331521"


@pytest.fixture
def session(softhsm: SoftHsmToken) -> Iterator[TokenSession]:
    """A fresh session on the test token, closed after the test."""
    token_session = TokenSession(softhsm.module, softhsm.label, softhsm.pin)
    yield token_session
    token_session.close()


def test_pkcs11_signature_verifies_with_xmlsec1_and_entegrator(
    session: TokenSession,
    trust: TrustStore,
    invoice_bytes: bytes,
    policy: VerificationPolicy,
    xmlsec1: Callable[..., str],
) -> None:
    seal = make_seal(Pkcs11Signer(session, key_label="aaa"), taxpayer_vkn=SUPPLIER_VKN, trust=trust)
    signed = sign_bytes(invoice_bytes, seal)
    assert "SignedInfo References (ok/all): 2/2" in xmlsec1(signed, seal.certificate)
    assert verify_bytes(signed, policy).signer_id == SUPPLIER_VKN


def test_pkcs11_signer_reads_the_certificate_from_the_token(
    session: TokenSession, supplier: IssuedSeal
) -> None:
    assert Pkcs11Signer(session, key_id=b"\x01").certificate == supplier.certificate


@pytest.mark.parametrize("key_type", ["rsa", "ec"])
def test_pkcs11_key_generated_on_the_token_signs(
    *,
    key_type: str,
    softhsm: SoftHsmToken,
    session: TokenSession,
    pki: DevPki,
    trust: TrustStore,
    invoice_bytes: bytes,
) -> None:
    label = f"generated-{key_type}"
    key_id = b"\x10" if key_type == "rsa" else b"\x11"
    public_key = softhsm.generate_key(label=label, key_id=key_id, key_type=key_type)
    issued = pki.issue_seal(SUPPLIER_VKN, "AAA Anonim Şirketi", public_key=public_key)
    softhsm.import_certificate(issued.certificate, label=label, key_id=key_id)
    seal = make_seal(Pkcs11Signer(session, key_label=label), taxpayer_vkn=SUPPLIER_VKN, trust=trust)
    result = verify_bytes(sign_bytes(invoice_bytes, seal), VerificationPolicy(trust=trust))
    assert result.certificate == issued.certificate


def test_pkcs11_concurrent_signing_from_threads_all_verify(
    session: TokenSession, trust: TrustStore, invoice_bytes: bytes, policy: VerificationPolicy
) -> None:
    seal = make_seal(Pkcs11Signer(session, key_label="aaa"), taxpayer_vkn=SUPPLIER_VKN, trust=trust)
    with ThreadPoolExecutor(max_workers=6) as pool:
        signed = list(pool.map(lambda _: sign_bytes(invoice_bytes, seal), range(120)))
    assert len(signed) == 120
    for document in signed:
        assert verify_bytes(document, policy).signer_id == SUPPLIER_VKN


def test_pkcs11_registry_resolves_seals_from_threads(
    softhsm: SoftHsmToken,
    trust: TrustStore,
    trust_dir: Path,
    invoice_bytes: bytes,
    policy: VerificationPolicy,
) -> None:
    config = SigningConfig(
        integrator_vkn="9999999999",
        trust_store=trust_dir,
        taxpayers=(TaxpayerSeal(SUPPLIER_VKN, softhsm.source("aaa")),),
    )
    registry = SealRegistry(config, trust)
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            signed = list(
                pool.map(
                    lambda _: sign_bytes(invoice_bytes, registry.seal_for(SUPPLIER_VKN)), range(40)
                )
            )
    finally:
        registry.close()
    assert all(verify_bytes(d, policy).signer_id == SUPPLIER_VKN for d in signed)


_WORKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from entegrator.signing import (
        Pkcs11Signer, TokenSession, TrustStore, make_seal, sign_bytes,
    )
    from entegrator.types import Secret

    module, label, pin, trust_dir, invoice, out_dir, count = sys.argv[1:]
    session = TokenSession(Path(module), label, Secret(pin))
    trust = TrustStore.from_directory(Path(trust_dir))
    seal = make_seal(
        Pkcs11Signer(session, key_label="aaa"), taxpayer_vkn="1288331521", trust=trust
    )
    data = Path(invoice).read_bytes()
    for number in range(int(count)):
        Path(out_dir, f"{number}.xml").write_bytes(sign_bytes(data, seal))
    session.close()
    """
)


def test_pkcs11_concurrent_signing_from_two_processes_all_verify(
    softhsm: SoftHsmToken,
    trust_dir: Path,
    samples_dir: Path,
    policy: VerificationPolicy,
    tmp_path: Path,
) -> None:
    invoice = samples_dir / "gib-ubltr-1.2.1" / "TicariFaturaOrnegi.xml"
    workers = []
    for number in range(2):
        out_dir = tmp_path / f"process-{number}"
        out_dir.mkdir()
        arguments = [str(softhsm.module), softhsm.label, softhsm.pin.reveal(), str(trust_dir)]
        workers.append(
            subprocess.Popen(
                [sys.executable, "-c", _WORKER, *arguments, str(invoice), str(out_dir), "60"],
                env={**softhsm.environ(), "PATH": "/usr/bin:/bin"},
                stderr=subprocess.PIPE,
            )
        )
    for worker in workers:
        _, stderr = worker.communicate(timeout=300)
        assert worker.returncode == 0, stderr.decode()
    signed = sorted(tmp_path.glob("process-*/*.xml"))
    assert len(signed) == 120
    for path in signed:
        assert verify_bytes(path.read_bytes(), policy).signer_id == SUPPLIER_VKN


def test_pkcs11_session_is_reopened_after_the_library_was_reinitialised(
    session: TokenSession, trust: TrustStore, invoice_bytes: bytes, policy: VerificationPolicy
) -> None:
    seal = make_seal(Pkcs11Signer(session, key_label="aaa"), taxpayer_vkn=SUPPLIER_VKN, trust=trust)
    sign_bytes(invoice_bytes, seal)
    generation = session.generation
    pkcs11.lib(str(session.module)).reinitialize()  # every open session is now dead
    assert verify_bytes(sign_bytes(invoice_bytes, seal), policy).signer_id == SUPPLIER_VKN
    assert session.generation == generation + 1


def test_pkcs11_wrong_pin_is_a_configuration_error(softhsm: SoftHsmToken) -> None:
    session = TokenSession(softhsm.module, softhsm.label, Secret("0000"))
    with pytest.raises(SealConfigurationError, match="PIN"):
        Pkcs11Signer(session, key_label="aaa")


def test_pkcs11_unknown_key_is_a_configuration_error(session: TokenSession) -> None:
    with pytest.raises(SealConfigurationError, match="bulunamadı"):
        Pkcs11Signer(session, key_label="yok-boyle-bir-anahtar")


def test_pkcs11_forked_child_opens_its_own_session(
    session: TokenSession,
    trust: TrustStore,
    invoice_bytes: bytes,
    policy: VerificationPolicy,
    tmp_path: Path,
) -> None:
    seal = make_seal(Pkcs11Signer(session, key_label="aaa"), taxpayer_vkn=SUPPLIER_VKN, trust=trust)
    sign_bytes(invoice_bytes, seal)  # the parent's session is open when the child is forked

    def child() -> None:
        (tmp_path / "child.xml").write_bytes(sign_bytes(invoice_bytes, seal))

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(timeout=120)
    assert process.exitcode == 0
    assert verify_bytes((tmp_path / "child.xml").read_bytes(), policy).signer_id == SUPPLIER_VKN
    assert verify_bytes(sign_bytes(invoice_bytes, seal), policy).signer_id == SUPPLIER_VKN
