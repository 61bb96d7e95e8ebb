"""Identifiers of the GİB e-Fatura world, one module per number (python-stdnum style).

Each module offers the same functions — ``compact``, ``validate`` (returns the compact form
or raises :class:`~entegrator.errors.InvalidIdentifier` with a Turkish message) and
``is_valid`` (never raises) — plus what is specific to the number:

* :mod:`.vkn` — VKN, 10-digit tax number (check digit via python-stdnum, ``checksum`` switch)
* :mod:`.tckn` — TCKN, 11-digit personal number (check digits via python-stdnum)
* :mod:`.party` — VKN_TCKN: either of the two, told apart by length (``scheme_of``)
* :mod:`.ettn` — ETTN, a document's UUID (``new``)
* :mod:`.invoice_id` — invoice number: series + year + sequence (``make``, ``split``)
* :mod:`.alias` — GİB mailbox label (URN), ``normalize`` for ERP input without ``urn:mail:``
"""

from __future__ import annotations

from entegrator.ubl.identifiers import alias, ettn, invoice_id, party, tckn, vkn
from entegrator.ubl.identifiers.party import scheme_of

__all__ = ["alias", "ettn", "invoice_id", "party", "scheme_of", "tckn", "vkn"]
