"""Choosing the receiver's postbox alias from GİB's user list, and the scenario rules."""

from __future__ import annotations

import pytest

from entegrator.core.errors import NotRegisteredUser, ProfileRuleViolation
from entegrator.core.outbound.routing import GTB_ALIASES, Route, pk_aliases, resolve
from entegrator.core.wiring import Integrator
from tests.core.outbound.support import register_gib_user

GTB = "1460415308"
BUYER = "9205121120"


@pytest.fixture
def listed(integrator: Integrator) -> Integrator:
    register_gib_user(integrator, BUYER, "Alıcı", pk=["urn:mail:ilk@alici.com.tr",
                                                      "urn:mail:defaultpk@alici.com.tr"],
                      gb=["urn:mail:defaultgb@alici.com.tr"],
                      closed_pk=["urn:mail:eski@alici.com.tr"])
    register_gib_user(integrator, GTB, "Ticaret Bakanlığı", pk=list(GTB_ALIASES.values()))
    return integrator


def _resolve(integrator: Integrator, *routes: Route) -> list[str]:
    with integrator.db.transaction(read_only=True) as conn:
        return resolve(conn, list(routes))


def test_open_pk_aliases_only_oldest_first(listed: Integrator) -> None:
    with listed.db.transaction(read_only=True) as conn:
        assert pk_aliases(conn, [BUYER, "1111111111"]) == {
            BUYER: ["urn:mail:ilk@alici.com.tr", "urn:mail:defaultpk@alici.com.tr"]}


def test_the_defaultpk_alias_wins_over_older_ones(listed: Integrator) -> None:
    assert _resolve(listed, Route("TEMELFATURA", BUYER)) == ["urn:mail:defaultpk@alici.com.tr"]


def test_a_named_alias_is_used_when_it_is_an_open_postbox(listed: Integrator) -> None:
    assert _resolve(listed, Route("TICARIFATURA", BUYER, "urn:mail:ilk@alici.com.tr")) == [
        "urn:mail:ilk@alici.com.tr"]
    for wrong in ("urn:mail:eski@alici.com.tr", "urn:mail:defaultgb@alici.com.tr"):
        with pytest.raises(NotRegisteredUser):
            _resolve(listed, Route("TEMELFATURA", BUYER, wrong))


def test_export_invoices_go_to_the_customs_postbox(listed: Integrator) -> None:
    assert _resolve(listed, Route("IHRACAT", GTB), Route("YOLCUBERABERFATURA", GTB)) == [
        GTB_ALIASES["IHRACAT"], GTB_ALIASES["YOLCUBERABERFATURA"]]
    with pytest.raises(ProfileRuleViolation, match="ihracatpk"):
        _resolve(listed, Route("IHRACAT", GTB, GTB_ALIASES["YOLCUBERABERFATURA"]))


def test_earsiv_is_refused_and_unknown_customers_are_not_efatura_users(
    listed: Integrator,
) -> None:
    with pytest.raises(ProfileRuleViolation, match="e-Arşiv"):
        _resolve(listed, Route("EARSIVFATURA", BUYER))
    with pytest.raises(NotRegisteredUser) as caught:
        _resolve(listed, Route("TEMELFATURA", "1111111111"))
    assert caught.value.identifier == "1111111111"
