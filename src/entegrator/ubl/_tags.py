"""Clark-notation tag names of UBL elements, created once per process and reused.

``CBC.ID`` is ``"{urn:…CommonBasicComponents-2}ID"``. Building and reading invoices touch
hundreds of elements per document; formatting the same tag strings again for each would cost
more than the lookup (a per-process cache of immutable strings).

>>> CBC.ID == ns.cbc("ID")
True
>>> CAC.path("PartyName", CBC.Name)
'{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}PartyName/{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}Name'
"""

from __future__ import annotations

from entegrator.ubl import ns

__all__ = ["CAC", "CBC", "EXT", "INV_ROOT", "Tags"]


class Tags:
    """Tag names of one namespace as attributes (``tags.Name``), cached on first use."""

    def __init__(self, uri: str) -> None:
        self._prefix = "{" + uri + "}"

    def __getattr__(self, local: str) -> str:
        if local.startswith("_"):
            raise AttributeError(local)
        tag = self._prefix + local
        setattr(self, local, tag)
        return tag

    def path(self, *steps: str) -> str:
        """An ElementPath: plain names are taken from this namespace, tags are kept."""
        return "/".join(step if step.startswith("{") else getattr(self, step) for step in steps)


CBC = Tags(ns.CBC)
CAC = Tags(ns.CAC)
EXT = Tags(ns.EXT)
#: The tag of a UBL invoice's root element.
INV_ROOT = ns.qname(ns.INV, "Invoice")
