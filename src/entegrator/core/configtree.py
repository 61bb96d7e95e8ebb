"""Turn a nested mapping of strings (environment, TOML) into frozen config dataclasses.

``ENTEGRATOR_GIB__TRANSPORT__VERIFY_TLS=false`` becomes ``{"gib": {"transport":
{"verify_tls": "false"}}}`` (:func:`env_tree`); a TOML file gives the same shape with native
types; :func:`merge` lays the environment over the file; :func:`build` fills a dataclass,
field by field, from its type hints (str, int, float, bool, Path, Secret, timedelta in
seconds, tuples and frozensets, Literal, optional values and nested dataclasses). Unknown keys
are refused, so a typo in a setting is an error and not a silently ignored value. A
:class:`~entegrator.types.Secret` field ``pin`` may also be given as ``pin_file`` (the
file's content, like :func:`entegrator.signing.secret_from`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from entegrator.errors import ConfigurationError
from entegrator.types import Secret

__all__ = ["Tree", "build", "env_tree", "merge", "read_secret_file", "to_bool"]

Tree = dict[str, Any]
_T = TypeVar("_T")
_TRUE = frozenset({"1", "true", "yes", "on", "evet"})
_FALSE = frozenset({"0", "false", "no", "off", "hayır", "hayir", ""})


def env_tree(env: Mapping[str, str], prefix: str, *, skip: Callable[[str], bool]) -> Tree:
    """Nest ``PREFIX_A__B=value`` entries of ``env`` as ``{"a": {"b": value}}``.

    Names for which ``skip(rest_of_name)`` is true are left out.
    """
    tree: Tree = {}
    for name, value in env.items():
        if not name.startswith(prefix):
            continue
        rest = name[len(prefix):]
        if not rest or skip(rest):
            continue
        parts = [p.lower() for p in rest.split("__")]
        if any(not p for p in parts):
            raise ConfigurationError(f"geçersiz ayar adı: {name}")
        node = tree
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ConfigurationError(f"{name}: {part} hem değer hem grup olamaz")
            node = child
        node[parts[-1]] = value
    return tree


def merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> Tree:
    """``over`` laid on ``base`` (nested mappings merged, other values replaced)."""
    result: Tree = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def to_bool(value: object, where: str) -> bool:
    """A boolean from TOML or from an environment string (true/false, 1/0, yes/no, evet/hayır)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ConfigurationError(f"{where}: true ya da false olmalı, {value!r} verildi")


def read_secret_file(path: object, where: str) -> Secret:
    """The content of the secret file ``path`` (trailing newlines dropped)."""
    try:
        return Secret(Path(str(path)).read_text(encoding="utf-8").rstrip("\r\n"))
    except OSError as exc:
        raise ConfigurationError(f"{where}: gizli bilgi dosyası okunamadı: {path}") from exc


def build(cls: type[_T], tree: Mapping[str, Any], where: str,
          overrides: Mapping[str, Any] | None = None) -> _T:
    """Build the dataclass ``cls`` from ``tree``; ``overrides`` are ready-made field values.

    Missing fields keep their defaults; a missing field without a default is an error naming
    the setting (``where`` is the dotted path used in messages).
    """
    if not isinstance(tree, Mapping):
        raise ConfigurationError(f"{where}: bir ayar grubu olmalı")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    known = set(fields) | {f"{n}_file" for n, h in hints.items() if _is_secret(h)}
    unknown = sorted(set(tree) - known)
    if unknown:
        raise ConfigurationError(f"{where}: bilinmeyen ayar(lar): {', '.join(unknown)}")
    values: dict[str, Any] = dict(overrides or {})
    for name, spec in fields.items():
        if name in values:
            continue
        path = f"{where}.{name}" if where else name
        if name in tree:
            values[name] = _coerce(hints[name], tree[name], path)
        elif f"{name}_file" in tree:
            values[name] = read_secret_file(tree[f"{name}_file"], path)
        elif dataclasses.is_dataclass(hints[name]) and _required(spec):
            values[name] = build(hints[name], {}, path)  # names the missing inner setting
    try:
        return cls(**values)
    except TypeError as exc:
        missing = [n for n, f in fields.items() if n not in values and _required(f)]
        if missing:
            shown = ", ".join(f"{where}.{n}" if where else n for n in missing)
            raise ConfigurationError(f"zorunlu ayar eksik: {shown}") from exc
        raise ConfigurationError(f"{where}: {exc}") from exc
    except ValueError as exc:
        if isinstance(exc, ConfigurationError):
            raise
        raise ConfigurationError(f"{where}: {exc}") from exc


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _is_secret(hint: Any) -> bool:
    return hint is Secret or (_is_union(hint) and Secret in typing.get_args(hint))


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def _coerce(hint: Any, value: Any, where: str) -> Any:
    if _is_union(hint):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if len(args) != 1:
            raise ConfigurationError(f"{where}: bu ayar ortamdan/dosyadan okunamaz")
        hint = args[0]
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        if value not in typing.get_args(hint):
            allowed = ", ".join(map(str, typing.get_args(hint)))
            raise ConfigurationError(f"{where}: şunlardan biri olmalı: {allowed}")
        return value
    if origin in (tuple, frozenset):
        items = value.split(",") if isinstance(value, str) else list(value)
        item_type = typing.get_args(hint)[0]
        values = [_coerce(item_type, str(i).strip(), where) for i in items if str(i).strip()]
        return origin(values)
    if dataclasses.is_dataclass(hint):
        return build(hint, value, where)  # type: ignore[arg-type]
    converters: dict[Any, Callable[[Any], Any]] = {
        str: str, Path: lambda v: Path(str(v)), Secret: lambda v: Secret(str(v)),
        int: int, float: float, bytes: lambda v: bytes.fromhex(str(v)),
        bool: lambda v: to_bool(v, where),
        dt.timedelta: lambda v: dt.timedelta(seconds=float(v)),
    }
    converter = converters.get(hint)
    if converter is None:
        raise ConfigurationError(f"{where}: bu ayar ortamdan/dosyadan okunamaz")
    if isinstance(value, Mapping):
        raise ConfigurationError(f"{where}: bir değer olmalı, grup verildi")
    try:
        return converter(value)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ConfigurationError):
            raise
        raise ConfigurationError(f"{where}: geçersiz değer {value!r}") from exc
