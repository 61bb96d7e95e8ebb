"""Parties of an invoice: supplier and customer, the export/tax-free buyer, the intermediary.

UBL-TR rules (gib-protocol.md §4.6; schematron ``PartyIdentificationPartyNamePersonCheck``):
a party carries exactly one VKN or TCKN; a VKN needs the company title (``cac:PartyName``),
a TCKN needs the person's first and family name (``cac:Person``). The GİB alias, which the
envelope needs, travels in the document as ``cbc:EndpointID`` (UBL's routing address).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, ValidationInfo, model_validator

from entegrator.ubl.model._base import UblModel
from entegrator.ubl.model._types import (
    Alias,
    CountryCode,
    OptText,
    PartyIdScheme,
    Tckn,
    Text,
    Vkn,
    VknOrTckn,
    is_lenient,
)

__all__ = [
    "Address",
    "BuyerCustomer",
    "Contact",
    "Party",
    "PartyIdentifier",
    "TaxRepresentative",
    "Traveller",
]


class Address(UblModel):
    """A postal address (``cac:PostalAddress``); district and city are required by UBL-TR."""

    street: OptText = Field(None, description="Cadde/sokak (StreetName)")
    building_name: OptText = Field(None, description="Bina adı")
    building_number: OptText = Field(None, description="Bina/kapı no")
    district: OptText = Field(None, description="Mahalle/semt (District)")
    city_subdivision: Text = Field(description="İlçe (CitySubdivisionName)")
    city: Text = Field(description="İl (CityName)")
    postal_code: OptText = Field(None, description="Posta kodu")
    country: Text = Field("Türkiye", description="Ülke adı")
    country_code: CountryCode | None = Field(None, description="Ülke kodu (ISO 3166-1)")


class Contact(UblModel):
    """Contact details (``cac:Contact``)."""

    telephone: OptText = Field(None, description="Telefon")
    telefax: OptText = Field(None, description="Faks")
    email: OptText = Field(None, description="E-posta")


class PartyIdentifier(UblModel):
    """A further identifier of a party, e.g. MERSİS or trade-registry number."""

    scheme: PartyIdScheme = Field(description="Kimlik türü (schemeID), ör. MERSISNO")
    value: Text = Field(description="Kimlik değeri")


class Party(UblModel):
    """Supplier or customer: a company by VKN or a person by TCKN."""

    vkn: Vkn | None = Field(None, description="Şirketin VKN'si (TCKN ile birlikte verilmez)")
    tckn: Tckn | None = Field(None, description="Gerçek kişinin TCKN'si")
    name: OptText = Field(None, description="Unvan (VKN'de zorunlu)")
    first_name: OptText = Field(None, description="Ad (TCKN'de zorunlu)")
    family_name: OptText = Field(None, description="Soyad (TCKN'de zorunlu)")
    tax_office: OptText = Field(None, description="Vergi dairesi")
    address: Address = Field(description="Adres")
    contact: Contact | None = Field(None, description="İletişim bilgileri")
    website: OptText = Field(None, description="Web sitesi")
    alias: Alias | None = Field(None, description="GİB etiketi (cbc:EndpointID olarak yazılır)")
    identifiers: tuple[PartyIdentifier, ...] = Field((), description="Ek kimlikler")

    @model_validator(mode="after")
    def _identity(self, info: ValidationInfo) -> Party:
        if is_lenient(info):
            return self
        if (self.vkn is None) == (self.tckn is None):
            raise ValueError("tarafın VKN'si ya da TCKN'si verilmeli (ikisi birden değil)")
        if self.vkn is not None and self.name is None:
            raise ValueError("VKN'li tarafın unvanı (name) zorunlu")
        if self.tckn is not None and (self.first_name is None or self.family_name is None):
            raise ValueError("TCKN'li tarafın adı (first_name) ve soyadı (family_name) zorunlu")
        return self

    @property
    def identifier(self) -> tuple[Literal["VKN", "TCKN"], str] | None:
        """``("VKN", number)`` or ``("TCKN", number)``; None if the party has neither."""
        if self.vkn is not None:
            return "VKN", self.vkn
        if self.tckn is not None:
            return "TCKN", self.tckn
        return None

    @property
    def display_name(self) -> str:
        """The title, or "first family" for a person."""
        if self.name:
            return self.name
        return " ".join(part for part in (self.first_name, self.family_name) if part)


class Traveller(UblModel):
    """The foreign traveller of a tax-free (YOLCUBERABERFATURA) invoice."""

    first_name: Text = Field(description="Ad")
    family_name: Text = Field(description="Soyad")
    nationality: CountryCode = Field(description="Uyruk (ülke kodu)")
    passport_number: Text = Field(description="Pasaport numarası")
    passport_issue_date: date = Field(description="Pasaport veriliş tarihi")


class BuyerCustomer(UblModel):
    """The real buyer behind the customs authority: EXPORT (IHRACAT) or TAXFREE (traveller)."""

    party_type: Literal["EXPORT", "TAXFREE"] = Field(
        description="EXPORT (ihracat) ya da TAXFREE (yolcu beraberi)"
    )
    name: OptText = Field(None, description="Alıcının unvanı (EXPORT'ta zorunlu)")
    tax_number: OptText = Field(None, description="Alıcının kendi ülkesindeki vergi numarası")
    address: Address = Field(description="Alıcının adresi")
    traveller: Traveller | None = Field(None, description="Yolcu bilgileri (TAXFREE'de zorunlu)")


class TaxRepresentative(UblModel):
    """The intermediary (aracı kurum) of a YOLCUBERABERFATURA."""

    vkn: VknOrTckn = Field(description="Aracı kurumun VKN/TCKN'si (ARACIKURUMVKN)")
    alias: Text = Field(description="Aracı kurumun etiketi (ARACIKURUMETIKET)")
    name: OptText = Field(None, description="Aracı kurumun unvanı")
    address: Address = Field(description="Aracı kurumun adresi")
