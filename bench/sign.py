"""Signing throughput: raw RSA-2048 signatures vs XAdES-BES of a ~12 KB invoice.

Run by hand: ``.venv/bin/python bench/sign.py [ROUNDS] [SECONDS]`` (defaults 5 rounds of
1 s per measurement). One RSA-2048 key, made by the test PKI, is used both in memory
(PKCS#12) and imported into a fresh SoftHSM2 token, so every line compares like with like:

* raw: ``cryptography`` vs PKCS#11 (CKM_SHA256_RSA_PKCS) over a ~1.3 KB canonical SignedInfo;
* XAdES: ``sign_bytes`` (parse → sign → serialise) and ``sign_element`` (tree in, tree out)
  of GİB's TICARIFATURA sample cut to ~12 KB, with the PKCS#12 key and with SoftHSM2;
* the same ``sign_bytes`` on two processes at once (each its own key/session).

Measurements are interleaved round by round; medians are printed. The machine has 2 cores
shared with other work: expect ±20 % between runs.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from entegrator.signing import (
    Pkcs11Signer,
    Seal,
    Signer,
    SoftwareSigner,
    TokenSession,
    TrustStore,
    make_seal,
    sign_bytes,
    sign_element,
)
from entegrator.signing.devpki import DevPki
from entegrator.signing.softhsm import SoftHsmToken, init_token
from entegrator.types import Secret
from entegrator.ubl import ns, xml

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "samples"
    / "gib-ubltr-1.2.1"
    / "TicariFaturaOrnegi.xml"
)
VKN = "1288331521"
TARGET_BYTES = 12_000


def typical_invoice() -> bytes:
    """GİB's commercial-invoice sample with invoice lines dropped until it is ~12 KB."""
    root = xml.parse(SAMPLE.read_bytes())
    lines = root.findall("cac:InvoiceLine", ns.NS)
    while len(xml.to_bytes(root)) > TARGET_BYTES and len(lines) > 1:
        root.remove(lines.pop())
    return xml.to_bytes(root)


def rate(work: Callable[[], object], seconds: float) -> float:
    """Operations per second of ``work`` over about ``seconds``."""
    count, started = 0, time.perf_counter()
    deadline = started + seconds
    while True:
        for _ in range(20):
            work()
        count += 20
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - started)


def _open_signer(kind: str, setup: dict[str, str]) -> tuple[Signer, TokenSession | None]:
    if kind == "p12":
        return SoftwareSigner.from_pkcs12(Path(setup["p12"]), Secret(setup["password"])), None
    session = TokenSession(Path(setup["module"]), setup["token"], Secret(setup["pin"]))
    return Pkcs11Signer(session, key_label="bench"), session


def _worker(
    kind: str, setup: dict[str, str], document: bytes, seconds: float, barrier: object
) -> float:
    os.environ["SOFTHSM2_CONF"] = setup["conf"]
    signer, session = _open_signer(kind, setup)
    trust = TrustStore.from_directory(Path(setup["trust"]))
    seal = make_seal(signer, taxpayer_vkn=VKN, trust=trust)
    sign_bytes(document, seal)
    barrier.wait()  # type: ignore[attr-defined]
    result = rate(lambda: sign_bytes(document, seal), seconds)
    if session is not None:
        session.close()
    return result


def two_processes(kind: str, setup: dict[str, str], document: bytes, seconds: float) -> float:
    """Total XAdES signatures/second of two processes signing at the same time."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(2)
        with context.Pool(2) as pool:
            results = pool.starmap(_worker, [(kind, setup, document, seconds, barrier)] * 2)
    return sum(results)


def prepare(directory: Path) -> tuple[dict[str, str], Seal, Seal]:
    """Make the key, the PKCS#12 file, the SoftHSM2 token and both seals."""
    pki = DevPki.create()
    issued = pki.issue_seal(VKN, "AAA Anonim Şirketi")
    password = Secret("bench")
    (directory / "seal.p12").write_bytes(issued.pkcs12(password))
    trust_dir = pki.write_trust_directory(directory / "trust")
    token: SoftHsmToken = init_token(
        directory / "hsm", "bench", pin=Secret("1234"), so_pin=Secret("87654321")
    )
    token.import_key(issued.private_key_der(), issued.certificate, label="bench", key_id=b"\x01")
    os.environ.update(token.environ())
    setup = {
        "p12": str(directory / "seal.p12"),
        "password": password.reveal(),
        "module": str(token.module),
        "token": token.label,
        "pin": token.pin.reveal(),
        "trust": str(trust_dir),
        "conf": str(token.config_file),
    }
    trust = TrustStore.from_directory(trust_dir)
    p12_signer, _ = _open_signer("p12", setup)
    hsm_signer, _ = _open_signer("pkcs11", setup)
    return (
        setup,
        make_seal(p12_signer, taxpayer_vkn=VKN, trust=trust),
        make_seal(hsm_signer, taxpayer_vkn=VKN, trust=trust),
    )


def main(rounds: int, seconds: float) -> None:
    """Run every measurement ``rounds`` times, interleaved, and print medians."""
    document = typical_invoice()
    with tempfile.TemporaryDirectory() as scratch:
        setup, p12_seal, hsm_seal = prepare(Path(scratch))
        signed_info = etree.tostring(
            xml.parse(sign_bytes(document, p12_seal)).find(".//ds:SignedInfo", ns.NS),
            method="c14n",
        )
        tree = xml.parse(document)
        measurements: dict[str, Callable[[], float]] = {
            "raw RSA-2048 sign, cryptography": lambda: rate(
                lambda: p12_seal.signer.sign(signed_info), seconds
            ),
            "raw RSA-2048 sign, PKCS#11 SoftHSM2": lambda: rate(
                lambda: hsm_seal.signer.sign(signed_info), seconds
            ),
            "XAdES sign_bytes, PKCS#12 key, 1 process": lambda: rate(
                lambda: sign_bytes(document, p12_seal), seconds
            ),
            "XAdES sign_bytes, SoftHSM2, 1 process": lambda: rate(
                lambda: sign_bytes(document, hsm_seal), seconds
            ),
            "XAdES sign_element (no parse/serialise), PKCS#12 key": lambda: rate(
                lambda: sign_element(tree, p12_seal), seconds
            ),
            "XAdES sign_element (no parse/serialise), SoftHSM2": lambda: rate(
                lambda: sign_element(tree, hsm_seal), seconds
            ),
            "XAdES sign_bytes, PKCS#12 key, 2 processes": lambda: two_processes(
                "p12", setup, document, seconds
            ),
            "XAdES sign_bytes, SoftHSM2, 2 processes": lambda: two_processes(
                "pkcs11", setup, document, seconds
            ),
        }
        results: dict[str, list[float]] = {name: [] for name in measurements}
        for _ in range(rounds):
            for name, measure in measurements.items():
                results[name].append(measure())
        hsm_seal.signer.close()
    medians = {name: statistics.median(values) for name, values in results.items()}
    print(f"invoice {len(document)} bytes, {rounds} rounds x {seconds:g} s, medians (min–max):")
    for name, values in results.items():
        print(f"  {name:58s} {medians[name]:8.0f} /s  ({min(values):.0f}–{max(values):.0f})")
    ratio = (
        medians["XAdES sign_bytes, SoftHSM2, 1 process"]
        / medians["raw RSA-2048 sign, PKCS#11 SoftHSM2"]
    )
    print(f"  XAdES via SoftHSM2 / raw PKCS#11 (target >= 0.5): {ratio:.2f}")
    print(
        "  XAdES with PKCS#12 key per core (target >= 800): "
        f"{medians['XAdES sign_bytes, PKCS#12 key, 1 process']:.0f}"
    )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 5,
        float(sys.argv[2]) if len(sys.argv) > 2 else 1.0,
    )
