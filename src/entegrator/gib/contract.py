"""Facts of GİB's EFatura service contract that both the client and the server use.

Operation names (which are also the soapAction values and the names the logs must record,
Özel Entegrasyon Kılavuzu §8), the ``fileName`` rule (Ek-3 §7.7: ``<InstanceIdentifier>.zip``)
and the comparison of ``hash`` values (Ek-3 §5: MD5 as 32 hex characters; senders differ in
letter case). Computing the MD5 and parsing the file name are :mod:`entegrator.envelope`'s.

>>> is_valid_file_name("e002da78-223f-438c-addb-16badeb047b5.zip")
True
>>> is_valid_file_name("e002da78-223f-438c-addb-16badeb047b5.xml")
False
>>> hashes_equal("D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e")
True
"""

from __future__ import annotations

import re
from typing import Final, TypeGuard

from entegrator.envelope import EnvelopeError, envelope_id_from_file_name

__all__ = [
    "GET_APPLICATION_RESPONSE",
    "MERKEZ_PATH",
    "OPERATIONS",
    "SEND_DOCUMENT",
    "ZIP_CONTENT_TYPE",
    "hashes_equal",
    "is_valid_file_name",
]

SEND_DOCUMENT: Final = "sendDocument"
GET_APPLICATION_RESPONSE: Final = "getApplicationResponse"
OPERATIONS: Final = (SEND_DOCUMENT, GET_APPLICATION_RESPONSE)

#: Path of the service at GİB Merkez (test and production); the simulator serves it there too.
MERKEZ_PATH: Final = "/EFaturaMerkez/services/EFatura"

#: ``xmime:contentType`` put on ``binaryData`` (as a reference integrator does).
ZIP_CONTENT_TYPE: Final = "application/zip"

_MD5_HEX = re.compile(r"[0-9a-fA-F]{32}")


def is_valid_file_name(file_name: str | None) -> TypeGuard[str]:
    """True if ``file_name`` is ``<envelope UUID>.zip`` (else the receiver answers 2006)."""
    try:
        envelope_id_from_file_name(file_name)  # type: ignore[arg-type]
    except EnvelopeError:
        return False
    return True


def hashes_equal(a: str | None, b: str | None) -> bool:
    """Compare two MD5 hex strings without regard to letter case."""
    if a is None or b is None:
        return False
    a, b = a.strip(), b.strip()
    return bool(_MD5_HEX.fullmatch(a)) and a.lower() == b.lower()
