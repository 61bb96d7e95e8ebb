"""HR-XML user accounts: GİB's rules, the HR-XML XSD, reading GİB's samples, the signature slot."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree

from entegrator.envelope import (
    AccountHolder,
    EnvelopeError,
    Mailbox,
    Role,
    UserAccountRequest,
    UserAction,
    build_user_account,
    read_envelope,
    read_user_account,
    signature_slot,
)
from entegrator.errors import InvalidIdentifier
from entegrator.ubl.ns import HR, NS, OA, qname

COMPANY = AccountHolder("4540536920", title="Örnek Ticaret A.Ş.")
PERSON = AccountHolder("17291716060", given_name="Ayşe", middle_name="Nur", family_name="Kaya")
GB = Mailbox(Role.GB, "urn:mail:defaultgb@ornek.com.tr", "Gönderici Birim Etiketi")
PK = Mailbox(Role.PK, "urn:mail:defaultpk@ornek.com.tr", "Posta Kutusu Etiketi")


@pytest.fixture(scope="module")
def hr_xml_schema() -> etree.XMLSchema:
    path = resources.files("efatura_kontrol.ekler").joinpath("xsd/HRXML/UserAccount.xsd")
    with resources.as_file(path) as file:
        return etree.XMLSchema(file=str(file))


def _request(clock: Callable[[], datetime], **changes: object) -> UserAccountRequest:
    fields: dict[str, object] = {
        "action": UserAction.PROCESS,
        "integrator_vkn": "9999999999",
        "holder": COMPANY,
        "option": 2,
        "mailboxes": (GB, PK),
        "created_at": clock(),
    }
    return UserAccountRequest(**(fields | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize("action", list(UserAction))
@pytest.mark.parametrize("holder", [COMPANY, PERSON])
def test_built_document_is_valid_hr_xml(
    action: UserAction,
    holder: AccountHolder,
    clock: Callable[[], datetime],
    hr_xml_schema: etree.XMLSchema,
) -> None:
    document = build_user_account(_request(clock, action=action, holder=holder))

    assert hr_xml_schema.validate(document), hr_xml_schema.error_log


@pytest.mark.parametrize("action", list(UserAction))
@pytest.mark.parametrize("holder", [COMPANY, PERSON])
def test_round_trip(
    action: UserAction, holder: AccountHolder, clock: Callable[[], datetime]
) -> None:
    request = _request(clock, action=action, holder=holder)

    assert read_user_account(build_user_account(request)) == request


def test_one_user_account_per_mailbox_same_user(clock: Callable[[], datetime]) -> None:
    document = build_user_account(_request(clock))

    accounts = document.findall("hr:DataArea/hr:UserAccount", NS)
    assert [a.findtext("hr:UserID", namespaces=NS) for a in accounts] == ["4540536920"] * 2
    assert [a.findtext("hr:UserRole/hr:RoleCode", namespaces=NS) for a in accounts] == ["GB", "PK"]
    assert [a.findtext("hr:UserRole/hr:RoleName", namespaces=NS) for a in accounts] == [
        "Gönderici Birim",
        "Posta Kutusu",
    ]
    assert [
        a.findtext("hr:AuthorizedWorkScope/hr:WorkScopeCode", namespaces=NS) for a in accounts
    ] == [
        GB.alias,
        PK.alias,
    ]


def test_company_has_formatted_name_only(clock: Callable[[], datetime]) -> None:
    name = build_user_account(_request(clock)).find("hr:DataArea/hr:UserAccount/hr:PersonName", NS)

    assert [etree.QName(c).localname for c in name] == ["FormattedName"]
    assert name.findtext("hr:FormattedName", namespaces=NS) == COMPANY.title


def test_person_has_given_and_family_name(clock: Callable[[], datetime]) -> None:
    name = build_user_account(_request(clock, holder=PERSON)).find(
        "hr:DataArea/hr:UserAccount/hr:PersonName", NS
    )

    assert name.findtext("hr:FormattedName", namespaces=NS) == "Ayşe Nur Kaya"
    assert name.findtext("oa:GivenName", namespaces=NS) == "Ayşe"
    assert name.findtext("hr:MiddleName", namespaces=NS) == "Nur"
    assert name.findtext("hr:FamilyName", namespaces=NS) == "Kaya"


def test_application_area_names_the_integrator(clock: Callable[[], datetime]) -> None:
    area = build_user_account(_request(clock)).find("oa:ApplicationArea", NS)

    assert area.findtext("oa:Sender/oa:LogicalID", namespaces=NS) == "9999999999"
    assert area.find("oa:Receiver", NS) is not None and len(area.find("oa:Receiver", NS)) == 0
    assert area.findtext("oa:CreationDateTime", namespaces=NS) == "2026-01-05T10:30:00"


def test_signature_slot_is_empty_and_in_place(clock: Callable[[], datetime]) -> None:
    document = build_user_account(_request(clock))

    slot = signature_slot(document)

    assert slot.tag == qname(OA, "Signature") and len(slot) == 0
    assert slot.getparent().tag == qname(OA, "ApplicationArea")


def test_filled_slot_is_still_valid_hr_xml_shape(
    clock: Callable[[], datetime], paket: Path
) -> None:
    document = build_user_account(_request(clock))
    sample = etree.parse(paket / "4_KULLANICI_ACMA.xml").getroot()
    signature_slot(document).append(copy.deepcopy(signature_slot(sample)[0]))

    assert read_user_account(document) == _request(clock)


def test_vuk_507_needs_no_counter_signature_and_no_alias(
    clock: Callable[[], datetime], hr_xml_schema: etree.XMLSchema
) -> None:
    request = _request(clock, option=4, mailboxes=())

    document = build_user_account(request)

    assert not request.needs_counter_signature
    assert hr_xml_schema.validate(document)
    assert document.find("hr:DataArea/hr:UserAccount/hr:UserRole", NS) is None
    assert read_user_account(document) == request


def test_ozel_needs_counter_signature(clock: Callable[[], datetime]) -> None:
    assert _request(clock).needs_counter_signature


# --- refusals ---------------------------------------------------------------------------------


def test_company_without_title_is_refused(clock: Callable[[], datetime]) -> None:
    with pytest.raises(EnvelopeError):
        build_user_account(_request(clock, holder=AccountHolder("4540536920")))


@pytest.mark.parametrize(
    "holder",
    [
        AccountHolder("17291716060", title="Ayşe Kaya"),
        AccountHolder("17291716060", given_name="Ayşe"),
        AccountHolder("17291716060", family_name="Kaya"),
        AccountHolder("17291716060", given_name=" ", family_name="K"),
    ],
)
def test_person_without_given_and_family_name_is_refused(
    holder: AccountHolder, clock: Callable[[], datetime]
) -> None:
    with pytest.raises(EnvelopeError):
        build_user_account(_request(clock, holder=holder))


@pytest.mark.parametrize("option", [0, 5, 12, 22])
def test_non_e_fatura_option_is_refused(option: int, clock: Callable[[], datetime]) -> None:
    with pytest.raises(EnvelopeError):
        build_user_account(_request(clock, option=option))


@pytest.mark.parametrize("option", [1, 2])
def test_kamu_and_ozel_need_an_alias(option: int, clock: Callable[[], datetime]) -> None:
    with pytest.raises(EnvelopeError):
        build_user_account(_request(clock, option=option, mailboxes=()))


@pytest.mark.parametrize(
    "label", ["defaultgb@ornek.com.tr", "usergb", "GIB", "urn:mail:şube@ornek.com.tr", ""]
)
def test_bad_alias_is_refused(label: str, clock: Callable[[], datetime]) -> None:
    with pytest.raises(InvalidIdentifier):
        build_user_account(_request(clock, mailboxes=(Mailbox(Role.GB, label),)))


def test_duplicate_mailbox_is_refused(clock: Callable[[], datetime]) -> None:
    with pytest.raises(EnvelopeError):
        build_user_account(_request(clock, mailboxes=(GB, GB)))


@pytest.mark.parametrize("vkn", ["123", "99999999999999", "abcdefghij"])
def test_bad_user_id_is_refused(vkn: str, clock: Callable[[], datetime]) -> None:
    with pytest.raises(InvalidIdentifier):
        build_user_account(_request(clock, holder=AccountHolder(vkn, title="X")))


def test_bad_integrator_vkn_is_refused(clock: Callable[[], datetime]) -> None:
    with pytest.raises(InvalidIdentifier):
        build_user_account(_request(clock, integrator_vkn="123"))


# --- reading ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "action", "option", "mailboxes"),
    [
        ("4_KULLANICI_ACMA_ZARF.xml", UserAction.PROCESS, 2, 2),
        ("5_KULLANICI_SILME_ZARF.xml", UserAction.CANCEL, 2, 2),
        ("8_FATURA_SAKLAMA_KULLANICI_ACMA_ZARF.xml", UserAction.PROCESS, 12, 0),
        ("9_FATURA_SAKLAMA_KULLANICI_SILME_ZARF.xml", UserAction.CANCEL, 12, 0),
    ],
)
def test_gib_samples_are_read(
    name: str, action: UserAction, option: int, mailboxes: int, paket: Path
) -> None:
    request = read_user_account(read_envelope((paket / name).read_bytes()).document(0))

    assert (request.action, request.option, len(request.mailboxes)) == (action, option, mailboxes)
    assert request.integrator_vkn == "9999999999"
    assert request.holder.vkn_tckn == "9999999999" and request.holder.title


def test_two_users_in_one_document_are_refused(clock: Callable[[], datetime]) -> None:
    document = build_user_account(_request(clock))
    document.find("hr:DataArea/hr:UserAccount/hr:UserID", NS).text = "1288331521"

    with pytest.raises(EnvelopeError) as caught:
        read_user_account(document)

    assert caught.value.gib_code == 1150


def test_mixed_option_codes_are_refused(clock: Callable[[], datetime]) -> None:
    document = build_user_account(_request(clock))
    document.find(
        "hr:DataArea/hr:UserAccount/hr:AccountConfiguration/hr:UserOptionCode", NS
    ).text = "1"

    with pytest.raises(EnvelopeError):
        read_user_account(document)


def test_unknown_role_code_is_refused(clock: Callable[[], datetime]) -> None:
    document = build_user_account(_request(clock))
    document.find("hr:DataArea/hr:UserAccount/hr:UserRole/hr:RoleCode", NS).text = "XX"

    with pytest.raises(EnvelopeError):
        read_user_account(document)


def test_other_documents_are_not_user_accounts(paket: Path) -> None:
    with pytest.raises(EnvelopeError):
        read_user_account(
            read_envelope((paket / "1_TEMEL_FATURA_ZARF.xml").read_bytes()).document(0)
        )


def test_document_without_accounts_is_refused() -> None:
    document = etree.Element(qname(HR, "ProcessUserAccount"))
    etree.SubElement(document, qname(OA, "ApplicationArea"))

    with pytest.raises(EnvelopeError):
        read_user_account(document)


def test_document_without_slot_has_no_signature_slot() -> None:
    with pytest.raises(EnvelopeError):
        signature_slot(etree.Element(qname(HR, "ProcessUserAccount")))
