"""Tests for entegrator.ubl.model.party."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from entegrator.ubl.model import LENIENT, Party

_ADDRESS = {"city_subdivision": "Çankaya", "city": "Ankara"}


def _error(**fields: object) -> str:
    with pytest.raises(ValidationError) as caught:
        Party.model_validate({"address": _ADDRESS, **fields})
    return str(caught.value.errors()[0]["ctx"]["error"])


def test_company_needs_a_title() -> None:
    assert "unvan" in _error(vkn="4540536920")


def test_person_needs_first_and_family_name() -> None:
    assert "soyad" in _error(tckn="17291716060", first_name="Ayşe")


def test_party_needs_exactly_one_identifier() -> None:
    assert "ikisi birden" in _error(vkn="4540536920", tckn="17291716060", name="X")
    assert "VKN'si ya da TCKN'si" in _error(name="X")


def test_identifier_tells_the_scheme() -> None:
    person = Party(tckn="17291716060", first_name="Ayşe", family_name="Yılmaz", address=_ADDRESS)
    assert person.identifier == ("TCKN", "17291716060")
    assert person.display_name == "Ayşe Yılmaz"


def test_lenient_party_may_lack_identifier_and_names() -> None:
    party = Party.model_validate({"address": _ADDRESS}, context=LENIENT)
    assert party.identifier is None


def test_address_country_defaults_to_turkiye() -> None:
    party = Party(vkn="4540536920", name="X", address=_ADDRESS)
    assert party.address.country == "Türkiye"
