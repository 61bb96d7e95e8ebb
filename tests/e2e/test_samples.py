"""GİB's own sample envelopes and system responses (../shared/samples) delivered to integrator
B's EFatura endpoint over HTTP, as Merkez would deliver them: B stores each, reads it and
judges it exactly as GİB's rules do (entegrator.validation's verdict on the envelope), never
crashes, puts nothing into a mailbox, and answers only what may be answered.

The 2013 samples are UBL 2.0 and fail today's XSD/schematron, and their parties are not B's
taxpayers. The same samples through the simulator: tests/simulator/test_samples.py; read by
the envelope reader one by one: tests/envelope/test_reader.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from entegrator.core.outbound import submit
from entegrator.envelope import (
    EnvelopeError,
    EnvelopeType,
    parse_envelope,
    read_envelope,
    zip_envelope,
)
from entegrator.gib import AlreadyReceived, UnknownEnvelope
from entegrator.store import StoreConfig
from entegrator.validation import RuleMode, ValidationOptions, validate
from tests.core.support import CorePki
from tests.e2e.world import World, example, now_turkey, running_world, wait_for
from tests.simulator.test_samples import ENVELOPE_XML, ENVELOPE_ZIPS, SAMPLES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(stores: tuple[StoreConfig, StoreConfig], e2e_pki: CorePki,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    directory: Path = tmp_path_factory.mktemp("samples")
    with running_world(directory, e2e_pki, *stores) as started:
        yield started


def _expected(file_name: str, data: bytes) -> tuple[int, EnvelopeType | None]:
    """GİB's verdict on the envelope (reader, then XSD/schematron), and its type if read.

    System envelopes are read, not validated: nobody answers a system response (Ek-2 §4.3),
    so one that reads is recorded as processed (1200) and otherwise ignored.
    """
    try:
        envelope = read_envelope(data, file_name=file_name)
    except EnvelopeError as exc:
        assert exc.gib_code is not None
        return exc.gib_code, None
    if envelope.header.type is EnvelopeType.SYSTEM:
        return 1200, EnvelopeType.SYSTEM
    code = validate(envelope.xml, ValidationOptions(rules=RuleMode.OFF)).gib_code
    assert code is not None, "the 2013 samples are expected to fail today's rules"
    return code, envelope.header.type


def _deliver(world: World, file_name: str, data: bytes) -> None:
    b = world.b
    envelope_id = file_name[:-4].lower()
    before = b.counts()
    client = b.endpoint_client(world.transport)
    if b.envelope(envelope_id, "IN") is not None:
        # Two samples share an envelope id (a zip of an XML sample): B has it already.
        with pytest.raises(AlreadyReceived):
            client.send_document(file_name, data)
        assert b.counts() == before
        return
    expected, kind = _expected(file_name, data)
    client.send_document(file_name, data)
    row = wait_for(lambda: (r := b.envelope(envelope_id, "IN")) is not None
                   and r.state == "processed" and r, what=f"B processed {file_name}")
    assert row.gib_status_code == expected
    assert b.counts()["documents"] == before["documents"]  # nothing reached a mailbox
    if kind in (EnvelopeType.SENDER, EnvelopeType.POSTBOX):
        answer = b.envelope(row.response_envelope_uuid, "OUT")
        assert (answer.type, b.carried_code(answer)) == ("SYSTEMENVELOPE", expected)
        return
    # System and user envelopes are never answered (Ek-2 §4.3).
    assert row.response_envelope_uuid is None
    with pytest.raises(UnknownEnvelope):
        client.get_application_response(envelope_id)


def _zip(xml: bytes) -> tuple[str, bytes]:
    envelope = parse_envelope(xml)
    zipped = zip_envelope(xml, envelope.envelope_id, modified=now_turkey())
    return zipped.file_name, zipped.data


@pytest.mark.parametrize("name", ENVELOPE_XML)
def test_gib_sample_envelope_reaches_b(world: World, name: str) -> None:
    file_name, data = _zip((SAMPLES / "gib-efatura-paketi" / name).read_bytes())
    _deliver(world, file_name, data)


@pytest.mark.parametrize("name", ENVELOPE_ZIPS)
def test_sample_envelope_zip_reaches_b(world: World, name: str) -> None:
    _deliver(world, name, (SAMPLES / "envelope-zip" / name).read_bytes())


def test_the_samples_include_gibs_system_responses() -> None:
    kinds = {name: read_envelope((SAMPLES / "gib-efatura-paketi" / name).read_bytes())
             .header.type for name in ENVELOPE_XML}
    assert {n for n, k in kinds.items() if k is EnvelopeType.SYSTEM} >= {
        "1_SISTEM_YANITI_MERKEZ.xml", "1_SISTEM_YANITI_POSTA_KUTUSU.xml"}


def test_b_still_works_after_the_samples(world: World) -> None:
    a, b = world.a, world.b
    result = submit(a.integrator, a.caller, example("01-temel-satis.json"), channel="api")
    assert a.wait_document(result.ettn, "OUT", "send_succeed").gib_status_code == 1300
    assert b.wait_document(result.ettn, "IN", "received")
