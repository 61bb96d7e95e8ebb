"""Each of Merkez's checks over HTTP: the envelope gets the code, in GİB's order, the sender gets
Merkez's system response with it, and nothing reaches the receiver."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from lxml import etree

from entegrator.envelope import EnvelopeHeader, EnvelopeType, Party, build_envelope, zip_envelope
from entegrator.signing import Seal, SoftwareSigner, TrustStore, make_seal, sign_element
from entegrator.signing.devpki import DevPki
from entegrator.signing.seal import Seal as SealType
from entegrator.signing.xades import SignatureTemplate
from entegrator.simulator import CheckSwitches
from entegrator.ubl import ns
from entegrator.ubl.identifiers import ettn
from entegrator.validation import RuleMode, ValidationOptions, validate
from tests.simulator.conftest import SimEnv
from tests.simulator.support import X, Y, invoice, now_local, sender_envelope
from tests.ziputil import zip_of


def _send_raw(env: SimEnv, file_name: str, data: bytes) -> str:
    env.a.client.send_document(file_name, data)
    return file_name[:-4]


def _expect(env: SimEnv, envelope_id: str, code: int) -> None:
    assert env.wait_status(envelope_id, code, *_OTHER_FINAL - {code}) == code
    assert env.codes(envelope_id) == [1000, 1100, code]
    answers = env.a.wait_responses(envelope_id)
    assert [(issuer, got) for issuer, got, _ in answers] == [("3900383669", code)]
    assert envelope_id.lower() not in env.b.received


_OTHER_FINAL = {1110, 1111, 1130, 1131, 1132, 1133, 1140, 1141, 1142, 1143, 1150, 1160, 1161,
                1163, 1171, 1172, 1175, 1176, 1177, 1181, 1195, 1200, 1300}


def _signed_xml(seal: Callable[..., Seal]) -> tuple[str, bytes]:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    return built.envelope_id, built.xml


def test_not_a_zip_is_1110(env: SimEnv) -> None:
    _expect(env, _send_raw(env, f"{ettn.new()}.zip", b"bu bir zip degil"), 1110)


def test_corrupt_zip_is_1130(env: SimEnv) -> None:
    _expect(env, _send_raw(env, f"{ettn.new()}.zip", b"PK\x03\x04" + b"\x00" * 64), 1130)


def test_zip_with_two_files_is_1131(env: SimEnv, seal: Callable[..., Seal]) -> None:
    envelope_id, xml = _signed_xml(seal)
    data = zip_of({f"{envelope_id}.xml": xml, "ikinci.xml": xml})
    _expect(env, _send_raw(env, f"{envelope_id}.zip", data), 1131)


def test_entry_that_is_not_xml_is_1132(env: SimEnv) -> None:
    envelope_id = ettn.new()
    data = zip_of({f"{envelope_id}.xml": b"\x00\x01 not xml"})
    _expect(env, _send_raw(env, f"{envelope_id}.zip", data), 1132)


def test_entry_name_other_than_envelope_id_is_1133(env: SimEnv,
                                                    seal: Callable[..., Seal]) -> None:
    envelope_id, xml = _signed_xml(seal)
    data = zip_of({f"{ettn.new()}.xml": xml})
    _expect(env, _send_raw(env, f"{envelope_id}.zip", data), 1133)


def test_xml_that_is_no_envelope_is_1140(env: SimEnv) -> None:
    envelope_id = ettn.new()
    data = zip_of({f"{envelope_id}.xml": b"<Fatura/>"})
    _expect(env, _send_raw(env, f"{envelope_id}.zip", data), 1140)


def test_missing_envelope_id_is_1141(env: SimEnv, seal: Callable[..., Seal]) -> None:
    envelope_id, xml = _signed_xml(seal)
    xml = xml.replace(f"<sh:InstanceIdentifier>{envelope_id}</sh:InstanceIdentifier>".encode(),
                      b"")
    _expect(env, _send_raw(env, f"{envelope_id}.zip", zip_of({f"{envelope_id}.xml": xml})), 1141)


def test_malformed_envelope_id_is_1111(env: SimEnv, seal: Callable[..., Seal]) -> None:
    envelope_id, xml = _signed_xml(seal)
    xml = xml.replace(envelope_id.encode(), b"12345", 1)
    _expect(env, _send_raw(env, f"{envelope_id}.zip", zip_of({f"{envelope_id}.xml": xml})), 1111)


def test_zip_name_other_than_envelope_id_is_1142(env: SimEnv, seal: Callable[..., Seal]) -> None:
    envelope_id, xml = _signed_xml(seal)
    zipped = zip_envelope(xml, envelope_id, modified=now_local())
    _expect(env, _send_raw(env, f"{ettn.new()}.zip", zipped.data), 1142)


def test_unknown_version_is_1143(env: SimEnv, seal: Callable[..., Seal]) -> None:
    envelope_id, xml = _signed_xml(seal)
    xml = xml.replace(b"<sh:TypeVersion>1.2</sh:TypeVersion>",
                      b"<sh:TypeVersion>9.9</sh:TypeVersion>")
    _expect(env, _send_raw(env, f"{envelope_id}.zip", zip_of({f"{envelope_id}.xml": xml})), 1143)


def test_schema_error_is_1160(env: SimEnv, seal: Callable[..., Seal]) -> None:
    document = invoice(X, Y, None)
    version = document.find(ns.cbc("UBLVersionID"))
    assert version is not None
    version.addnext(etree.Element(ns.cbc("TanimsizAlan")))
    built = sender_envelope(X, Y, [sign_element(document, seal(X.vkn))])
    env.a.send(built)
    _expect(env, built.envelope_id, 1160)


def test_schematron_error_is_1150(env: SimEnv, seal: Callable[..., Seal]) -> None:
    document = invoice(X, Y, None)
    copy_indicator = document.find(ns.cbc("CopyIndicator"))
    assert copy_indicator is not None
    copy_indicator.text = "true"  # CopyIndicatorCheck
    built = sender_envelope(X, Y, [sign_element(document, seal(X.vkn))])
    env.a.send(built)
    _expect(env, built.envelope_id, 1150)


def test_document_changed_after_signing_is_1177(env: SimEnv, seal: Callable[..., Seal]) -> None:
    document = invoice(X, Y, seal(X.vkn))
    name = document.find(f"{ns.cac('InvoiceLine')}/{ns.cac('Item')}/{ns.cbc('Name')}")
    assert name is not None
    name.text = "İmzadan sonra değişti"
    built = sender_envelope(X, Y, [document])
    env.a.send(built)
    _expect(env, built.envelope_id, 1177)


def test_unsigned_invoice_is_1177(env: SimEnv) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, None)])
    env.a.send(built)
    _expect(env, built.envelope_id, 1177)


def test_certificate_without_vkn_is_1161(env: SimEnv, pki: DevPki) -> None:
    issued = pki.issue_seal("", "Kimliksiz")  # no serialNumber in the subject
    signer = SoftwareSigner(issued.private_key, issued.certificate)
    now = dt.datetime.now(dt.UTC)
    unchecked = SealType(taxpayer_vkn=X.vkn, signer_vkn="", signer=signer, delegated=True,
                         valid_from=now - dt.timedelta(days=1),
                         valid_until=now + dt.timedelta(days=1),
                         template=SignatureTemplate(signer),
                         counter_template=SignatureTemplate(signer, counter=True))
    built = sender_envelope(X, Y, [sign_element(invoice(X, Y, None), unchecked)])
    env.a.send(built)
    _expect(env, built.envelope_id, 1161)


def test_seal_of_an_untrusted_issuer_is_1175(env: SimEnv) -> None:
    stranger = DevPki.create("Güvenilmeyen")
    issued = stranger.issue_seal(X.vkn, X.title)
    foreign = make_seal(SoftwareSigner(issued.private_key, issued.certificate),
                        taxpayer_vkn=X.vkn,
                        trust=TrustStore.from_certificates(stranger.trust_anchors))
    built = sender_envelope(X, Y, [invoice(X, Y, foreign)])
    env.a.send(built)
    _expect(env, built.envelope_id, 1175)


def test_seal_of_someone_else_is_1176(env: SimEnv, pki: DevPki) -> None:
    issued = pki.issue_seal("5555555553", "Başkası")
    other = make_seal(SoftwareSigner(issued.private_key, issued.certificate), taxpayer_vkn=X.vkn,
                      trust=TrustStore.from_certificates(pki.trust_anchors), delegated=True,
                      integrator_vkn="5555555553")
    built = sender_envelope(X, Y, [invoice(X, Y, other)])
    env.a.send(built)
    _expect(env, built.envelope_id, 1176)


def test_sender_alias_that_is_a_pk_is_1171(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))], sender=X.receiver)
    env.a.send(built)
    _expect(env, built.envelope_id, 1171)


def test_receiver_alias_that_is_a_gb_is_1172(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))], receiver=Y.sender)
    env.a.send(built)
    _expect(env, built.envelope_id, 1172)


def test_unknown_receiver_alias_is_1181(env: SimEnv, seal: Callable[..., Seal]) -> None:
    receiver = Party("urn:mail:yok@y.example", Y.vkn)
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))], receiver=receiver)
    env.a.send(built)
    _expect(env, built.envelope_id, 1181)


def test_alias_pair_of_another_vkn_is_1181(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))],
                            receiver=Party(X.pk, Y.vkn))  # X's PK alias with Y's VKN
    env.a.send(built)
    _expect(env, built.envelope_id, 1181)


def test_sender_alias_hosted_by_another_integrator_is_1171(env: SimEnv,
                                                           seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.b.send(built)  # X's GB alias lives at A, not B
    assert env.wait_status(built.envelope_id, 1171, 1200, 1300) == 1171
    assert env.b.wait_responses(built.envelope_id)[0][1] == 1171


def test_role_errors_come_before_unknown_pairs(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))], sender=X.receiver,
                            receiver=Party("urn:mail:yok@y.example", Y.vkn))
    env.a.send(built)
    _expect(env, built.envelope_id, 1171)  # 1171 before 1181 (gib-protocol.md §8)


def test_schema_is_checked_before_addresses(env: SimEnv) -> None:
    document = invoice(X, Y, None)  # unsigned AND misaddressed AND schema-invalid
    version = document.find(ns.cbc("UBLVersionID"))
    assert version is not None
    version.addnext(etree.Element(ns.cbc("TanimsizAlan")))
    built = sender_envelope(X, Y, [document], receiver=Party("urn:mail:yok@y.example", Y.vkn))
    env.a.send(built)
    _expect(env, built.envelope_id, 1160)


@pytest.mark.parametrize("same", ["ettn", "number"])
def test_invoice_already_registered_is_1163(env: SimEnv, seal: Callable[..., Seal],
                                            same: str) -> None:
    first = invoice(X, Y, seal(X.vkn))
    env.a.send(sender_envelope(X, Y, [first]))
    key = {"uuid": first.findtext(ns.cbc("UUID"))} if same == "ettn" else \
        {"number": first.findtext(ns.cbc("ID"))}
    again = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn), **key)])  # type: ignore[arg-type]
    env.a.send(again)
    _expect(env, again.envelope_id, 1163)


def test_invoice_may_be_sent_again_after_1230(sim_factory: Callable[..., SimEnv],
                                              seal: Callable[..., Seal]) -> None:
    env = sim_factory(b_code=1160)
    first = invoice(X, Y, seal(X.vkn))
    built = sender_envelope(X, Y, [first])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1230)
    again = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn),
                                           uuid=first.findtext(ns.cbc("UUID")),
                                           number=first.findtext(ns.cbc("ID")))])
    env.a.send(again)
    assert env.wait_status(again.envelope_id, 1220, 1230, 1163) in (1220, 1230)


def test_malformed_sender_vkn_is_answered_to_the_caller(env: SimEnv,
                                                        seal: Callable[..., Seal]) -> None:
    header = EnvelopeHeader(ettn.new(), EnvelopeType.SENDER, X.sender, Y.receiver, now_local())
    xml = build_envelope(header, [invoice(X, Y, seal(X.vkn))]).xml.replace(
        f"<sh:Contact>{X.vkn}</sh:Contact>".encode(), b"<sh:Contact>123</sh:Contact>", 1)
    expected = validate(xml, ValidationOptions(rules=RuleMode.OFF)).gib_code
    assert expected is not None
    envelope_id = header.envelope_id
    _send_raw(env, f"{envelope_id}.zip", zip_envelope(xml, envelope_id, modified=now_local()).data)
    # The answer cannot name VKN "123": it goes to the calling integrator's VKN instead.
    _expect(env, envelope_id, expected)


def test_bug_in_a_check_is_1195(env: SimEnv, seal: Callable[..., Seal],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bir hata")

    monkeypatch.setattr("entegrator.simulator.processing.check_business", broken)
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    _expect(env, built.envelope_id, 1195)


def test_vkn_check_digit_only_with_strict_checksums(sim_factory: Callable[..., SimEnv],
                                                    seal: Callable[..., Seal]) -> None:
    document = invoice(X, Y, None)
    ids = document.findall(f"{ns.cac('AccountingCustomerParty')}/{ns.cac('Party')}/"
                           f"{ns.cac('PartyIdentification')}/{ns.cbc('ID')}")
    for element in ids:
        element.text = "9999999999"  # GİB's test number: right length, wrong check digit
    receiver = Party(Y.pk, "9999999999")
    built = sender_envelope(X, Y, [sign_element(document, seal(X.vkn))], receiver=receiver)
    assert validate(built.xml, ValidationOptions(rules=RuleMode.OFF)).ok  # GİB: lengths only
    env = sim_factory(checks=CheckSwitches(strict_checksums=True))
    env.a.send(built)
    _expect(env, built.envelope_id, 1150)
