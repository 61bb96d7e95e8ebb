"""Every identifier module's ``is_valid`` answers False for junk and never raises."""

from __future__ import annotations

from types import ModuleType

import pytest

from entegrator.errors import InvalidIdentifier
from entegrator.ubl.identifiers import alias, ettn, invoice_id, party, tckn, vkn

MODULES: tuple[ModuleType, ...] = (vkn, tckn, party, ettn, invoice_id, alias)
JUNK: tuple[object, ...] = (
    None,
    "",
    "   ",
    "٣٣٣",
    "٣" * 10,
    "٣" * 11,
    "１２３４５６７８９０",
    b"4540536920",
    bytearray(b"17291716060"),
    4540536920,
    17291716060,
    4540536920.0,
    True,
    ["4540536920"],
    object(),
    "\x00" * 10,
    "x" * 10_000,
)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_is_valid_rejects_junk_without_raising(module: ModuleType, junk: object) -> None:
    assert module.is_valid(junk) is False


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@pytest.mark.parametrize("junk", [None, b"x", 1, 1.5], ids=repr)
def test_validate_raises_invalid_identifier_for_non_text(module: ModuleType, junk: object) -> None:
    with pytest.raises(InvalidIdentifier, match="metin olarak verilmeli"):
        module.validate(junk)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_module_offers_the_common_functions(module: ModuleType) -> None:
    for name in ("compact", "validate", "is_valid"):
        assert callable(getattr(module, name)), name
        assert name in module.__all__
    assert module.__doc__
