"""``entegrator sign`` and ``entegrator verify``: the financial seal from the command line.

``sign`` seals one document with a PKCS#12 file or a PKCS#11 token key (the PIN/password is
read from an environment variable, or from the file named by ``<VAR>_FILE``); ``verify``
checks the signatures of received documents and prints GİB's code for each failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from lxml import etree

from entegrator.errors import EntegratorError
from entegrator.signing import (
    Pkcs11Signer,
    SignatureRejected,
    Signer,
    SoftwareSigner,
    TokenSession,
    TrustStore,
    VerificationPolicy,
    VerifiedSignature,
    algorithms,
    countersign_element,
    document,
    make_seal,
    secret_from,
    sign_element,
    signer_identifier,
    verify_element,
)
from entegrator.signing.certificates import load_certificates
from entegrator.signing.errors import SealConfigurationError
from entegrator.ubl.xml import parse_tree

__all__ = ["register"]

TRUST_ENV = "ENTEGRATOR_TRUST_DIR"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``sign`` and ``verify`` commands."""
    sign = subparsers.add_parser("sign", help="belgeyi mali mühürle imzala (XAdES-BES)")
    sign.add_argument("input", type=Path, metavar="GİRDİ.xml")
    sign.add_argument("-o", "--output", type=Path, required=True, metavar="ÇIKTI.xml")
    p12 = sign.add_argument_group("PKCS#12 dosyası")
    p12.add_argument("--p12", type=Path, metavar="DOSYA")
    p12.add_argument("--password-env", metavar="DEĞİŞKEN", help="parolayı tutan ortam değişkeni")
    p11 = sign.add_argument_group("PKCS#11 belirteci (HSM)")
    p11.add_argument("--pkcs11-module", type=Path, metavar="YOL")
    p11.add_argument("--token", metavar="ETİKET")
    p11.add_argument("--pin-env", metavar="DEĞİŞKEN", help="PIN'i tutan ortam değişkeni")
    p11.add_argument("--key-label", metavar="ETİKET")
    p11.add_argument("--key-id", metavar="HEX")
    p11.add_argument("--cert", type=Path, metavar="DOSYA", help="sertifika (yoksa belirteçten)")
    sign.add_argument("--trust", type=Path, metavar="DİZİN", help=f"güven deposu ({TRUST_ENV})")
    sign.add_argument("--vkn", help="mükellef VKN/TCKN (varsayılan: belgedeki tedarikçi)")
    sign.add_argument(
        "--delegated", action="store_true", help="entegratörün mührüyle mükellef adına imzala"
    )
    sign.add_argument(
        "--countersign", action="store_true", help="kullanıcı mesajına müşterinin karşı imzası"
    )
    sign.add_argument("--exclusive-c14n", action="store_true", help="dışlayıcı C14N kullan")
    sign.set_defaults(handler=_sign)

    verify = subparsers.add_parser("verify", help="gelen belgelerin imzasını doğrula")
    verify.add_argument("files", nargs="+", type=Path, metavar="DOSYA")
    verify.add_argument("--trust", type=Path, metavar="DİZİN", help=f"güven deposu ({TRUST_ENV})")
    verify.add_argument(
        "--delegate",
        action="append",
        default=[],
        metavar="VKN",
        help="mükellef adına imzalamaya yetkili entegratör VKN'si (tekrarlanabilir)",
    )
    verify.add_argument("--json", action="store_true", help="sonucu JSON olarak yaz")
    verify.set_defaults(handler=_verify)


def _trust(path: Path | None) -> TrustStore:
    chosen = path or (Path(os.environ[TRUST_ENV]) if os.environ.get(TRUST_ENV) else None)
    if chosen is None:
        raise SealConfigurationError(f"Güven deposu gerekli: --trust DİZİN ya da {TRUST_ENV}")
    return TrustStore.from_directory(chosen)


def _signer(args: argparse.Namespace) -> tuple[Signer, TokenSession | None]:
    if args.p12 is not None:
        if not args.password_env:
            raise SealConfigurationError("--p12 ile --password-env gerekli")
        return SoftwareSigner.from_pkcs12(
            args.p12, secret_from(os.environ, args.password_env)
        ), None
    if args.pkcs11_module is None or not args.token or not args.pin_env:
        raise SealConfigurationError(
            "Anahtar kaynağı: --p12 DOSYA --password-env DEĞİŞKEN ya da "
            "--pkcs11-module YOL --token ETİKET --pin-env DEĞİŞKEN --key-label ETİKET"
        )
    try:
        key_id = bytes.fromhex(args.key_id) if args.key_id else None
    except ValueError as exc:
        raise SealConfigurationError(f"--key-id onaltılık olmalı: {args.key_id}") from exc
    certificate = load_certificates(args.cert.read_bytes())[0] if args.cert else None
    session = TokenSession(args.pkcs11_module, args.token, secret_from(os.environ, args.pin_env))
    try:
        signer = Pkcs11Signer(
            session, key_label=args.key_label, key_id=key_id, certificate=certificate
        )
    except BaseException:
        session.close()
        raise
    return signer, session


def _sign(args: argparse.Namespace) -> int:
    tree = parse_tree(args.input.read_bytes())
    root = tree.getroot()
    kind = document.document_kind(root)
    signer, session = _signer(args)
    try:
        if args.vkn:
            vkn = args.vkn
        else:
            parties = (
                document.counter_signers(root)
                if args.countersign
                else document.supplier_identifiers(root, kind)
            )
            vkn = parties[0] if parties else ""
        seal = make_seal(
            signer,
            taxpayer_vkn=vkn,
            trust=_trust(args.trust),
            delegated=args.delegated,
            integrator_vkn=signer_identifier(signer.certificate) if args.delegated else None,
            c14n=algorithms.EXC_C14N if args.exclusive_c14n else algorithms.C14N,
        )
        if args.countersign:
            countersign_element(root, seal)
        else:
            sign_element(root, seal)
    finally:
        signer.close()
        if session is not None:
            session.close()
    args.output.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    print(f"imzalandı: {args.output} (imzacı {seal.signer_vkn}, mükellef {seal.taxpayer_vkn})")
    return 0


def _describe(result: VerifiedSignature) -> dict[str, Any]:
    return {
        "imzaci": result.signer_id,
        "imzaci_adi": result.signer_name,
        "imza_zamani": result.signing_time.isoformat(),
        "imza_algoritmasi": result.signature_method,
        "kanoniklestirme": result.canonicalization,
        "vekaleten": result.delegated,
        "karsi_imza": _describe(result.counter_signature) if result.counter_signature else None,
    }


def _check(path: Path, policy: VerificationPolicy) -> dict[str, Any]:
    try:
        result = verify_element(parse_tree(path.read_bytes()).getroot(), policy)
    except SignatureRejected as exc:
        return {"dosya": str(path), "gecerli": False, "kod": exc.gib_code, "mesaj": exc.message}
    except (EntegratorError, OSError) as exc:
        return {"dosya": str(path), "gecerli": False, "kod": None, "mesaj": str(exc)}
    return {"dosya": str(path), "gecerli": True, **_describe(result)}


def _verify(args: argparse.Namespace) -> int:
    policy = VerificationPolicy(
        trust=_trust(args.trust), authorised_delegates=frozenset(args.delegate)
    )
    reports = [_check(path, policy) for path in args.files]
    if args.json:
        json.dump(reports, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for report in reports:
            if report["gecerli"]:
                counter = report["karsi_imza"]
                extra = f", karşı imza {counter['imzaci']}" if counter else ""
                print(
                    f"GEÇERLİ   {report['dosya']}: imzacı {report['imzaci']} "
                    f"({report['imzaci_adi']}), {report['imza_zamani']}{extra}"
                )
            else:
                code = report["kod"] if report["kod"] is not None else "-"
                print(f"GEÇERSİZ  {report['dosya']}: [{code}] {report['mesaj']}")
    return 0 if all(report["gecerli"] for report in reports) else 1
