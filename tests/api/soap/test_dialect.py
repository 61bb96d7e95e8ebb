"""Dialect definitions and the registry (api.soap.dialect; style-examples §8)."""

from __future__ import annotations

import dataclasses

import pytest

from entegrator.api.edm import EFATURA_EDM
from entegrator.api.izibiz import AUTHENTICATION, EFATURA_OIB, EINVOICE
from entegrator.api.soap.dialect import DialectRegistry, Operation
from entegrator.api.soap.routes import DEFAULT_DIALECTS


def test_the_default_services_sit_at_the_integrators_own_paths() -> None:
    paths = {p for d in DEFAULT_DIALECTS for p in d.paths}

    assert {"/AuthenticationWS", "/EInvoiceWS", "/EFaturaOIB",
            "/EFaturaEDM/EFaturaEDM.svc"} <= paths


def test_every_required_operation_is_served() -> None:
    names = {d.id: {op.name for op in d.operations} for d in DEFAULT_DIALECTS}

    assert {"Login", "Logout", "CheckUser", "GetGibUserList"} <= names["izibiz-auth"]
    assert {"Login", "Logout", "SendInvoice", "LoadInvoice", "GetInvoice",
            "GetInvoiceWithType", "MarkInvoice", "GetInvoiceStatus", "GetInvoiceStatusAll",
            "SendInvoiceResponseWithServerSign", "CheckUser", "GetUserList",
            "GetUserListBinary", "CancelDraftInvoice", "GetInvoiceCount"} <= names[
        "izibiz-einvoice"]
    assert {"Login", "Logout", "GetUserList", "CheckUser", "SendInvoice", "LoadInvoice",
            "GetInvoice", "MarkInvoice", "GetInvoiceStatus",
            "SendInvoiceResponseWithServerSign", "CancelInvoice"} <= names["edm"]


def test_operations_are_found_by_request_element_name() -> None:
    found = EINVOICE.operation("GetInvoiceStatusRequest")

    assert found is not None and found.response == "GetInvoiceStatusResponse"
    assert EINVOICE.operation("GetInvoiceStatus") is None


def test_a_dialect_id_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError, match="twice"):
        DialectRegistry([EINVOICE, dataclasses.replace(EINVOICE, paths=("/Other",))])


def test_two_dialects_cannot_share_a_path() -> None:
    with pytest.raises(ValueError, match="reuses"):
        DialectRegistry([EINVOICE, dataclasses.replace(EFATURA_OIB, paths=("/EInvoiceWS",))])


def test_an_operation_cannot_be_defined_twice() -> None:
    login = AUTHENTICATION.operations[0]

    with pytest.raises(ValueError, match="defined twice"):
        dataclasses.replace(AUTHENTICATION, operations=(login, Operation("Login", login.handler)))


def test_edm_declares_its_soap_actions_per_operation() -> None:
    assert EFATURA_EDM.description.soap_action("SendInvoice") == "SendInvoiceRequest"
    assert EINVOICE.description.soap_action("SendInvoice") == ""
