"""The SoftHSM2 helper: a token in a directory of our own, imported and generated keys."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pkcs11
import pytest
from pkcs11 import Attribute, ObjectClass
from pkcs11 import exceptions as p11e

from entegrator.signing.softhsm import SoftHsmToken, init_token
from entegrator.types import Secret

pytestmark = pytest.mark.hsm


def test_init_token_writes_its_own_config_and_token(tmp_path: Path) -> None:
    token = init_token(
        tmp_path / "hsm", "kendi-belirtecim", pin=Secret("1234"), so_pin=Secret("5678")
    )
    assert f"directories.tokendir = {tmp_path / 'hsm' / 'tokens'}" in token.config_file.read_text()
    slots = subprocess.run(
        ["softhsm2-util", "--show-slots"],
        env=token.environ(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "kendi-belirtecim" in slots


def _private_key(token: SoftHsmToken, label: str) -> dict[Attribute, object]:
    library = pkcs11.lib(str(token.module))
    with library.get_token(token_label=token.label).open(user_pin=token.pin.reveal()) as session:
        key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=label)
        attributes = {
            name: key[name]
            for name in (Attribute.SENSITIVE, Attribute.EXTRACTABLE, Attribute.NEVER_EXTRACTABLE)
        }
        with pytest.raises(p11e.AttributeSensitive):
            key[Attribute.PRIVATE_EXPONENT]
        return attributes


def test_generated_key_never_leaves_the_token(softhsm: SoftHsmToken) -> None:
    softhsm.generate_key(label="helper-generated", key_id=b"\x21")
    attributes = _private_key(softhsm, "helper-generated")
    assert attributes == {
        Attribute.SENSITIVE: True,
        Attribute.EXTRACTABLE: False,
        Attribute.NEVER_EXTRACTABLE: True,
    }


def test_imported_key_is_sensitive_on_the_token(softhsm: SoftHsmToken) -> None:
    assert _private_key(softhsm, "aaa")[Attribute.SENSITIVE] is True


def test_source_points_at_the_token_key(softhsm: SoftHsmToken) -> None:
    source = softhsm.source("aaa", key_id=b"\x01")
    assert (source.module, source.token_label, source.key_label, source.key_id) == (
        softhsm.module,
        softhsm.label,
        "aaa",
        b"\x01",
    )
