"""GİB portal users hosted by the simulator, with their seals from a test PKI.

The test plan has every integrator test against a user of GİB's own e-Fatura portal: the
integrator's PK receives invoices the portal user makes ("Test Araçları", §5.2.1, §9), its GB
sends invoices the portal user sees and accepts or rejects (§6). The simulator plays those
users. Their seals come from :class:`entegrator.signing.devpki.DevPki` (made at start-up unless
one is given), so integrators must trust its CAs: :meth:`PortalDesk.anchors_pem` (also served
at ``GET /admin/portal/pki`` and written to ``portal_trust_out``).
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from entegrator.signing import Seal, SoftwareSigner, TrustStore, make_seal
from entegrator.signing.devpki import DevPki
from entegrator.simulator.config import PortalUserConfig
from entegrator.simulator.errors import UnknownPortalUser

__all__ = ["PortalDesk"]


class PortalDesk:
    """The portal users, their seals and the PKI that issued them."""

    def __init__(self, users: tuple[PortalUserConfig, ...], *, pki: DevPki | None = None,
                 now: dt.datetime | None = None) -> None:
        self._users = {user.vkn: user for user in users}
        self.pki = pki if pki is not None else DevPki.create("GİB Portal Test", now=now)
        trust = TrustStore.from_certificates(self.pki.trust_anchors)
        self._seals: dict[str, Seal] = {}
        for user in users:
            issued = self.pki.issue_seal(user.vkn, user.title)
            signer = SoftwareSigner(issued.private_key, issued.certificate, issued.chain)
            self._seals[user.vkn] = make_seal(signer, taxpayer_vkn=user.vkn, trust=trust, now=now)

    @property
    def users(self) -> tuple[PortalUserConfig, ...]:
        """Every portal user."""
        return tuple(self._users.values())

    def user(self, vkn: str) -> PortalUserConfig:
        """The portal user ``vkn``; :class:`UnknownPortalUser` if none."""
        found = self._users.get(vkn)
        if found is None:
            raise UnknownPortalUser(f"GİB portal kullanıcısı yok: {vkn!r}")
        return found

    def seal(self, vkn: str) -> Seal:
        """The seal of portal user ``vkn``."""
        self.user(vkn)
        return self._seals[vkn]

    @property
    def anchors(self) -> tuple[x509.Certificate, ...]:
        """The CA certificates a verifier needs to trust the portal users' seals."""
        return self.pki.trust_anchors

    def anchors_pem(self) -> bytes:
        """:attr:`anchors` as PEM."""
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.anchors)
