"""GİB's own sample envelopes and system responses (../shared/samples) through the simulator.

The 2013 samples are UBL 2.0 and fail today's XSD/schematron: the simulator must read them,
report exactly what GİB's rules say (as entegrator.validation judges them) and never crash.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from entegrator.envelope import (
    EnvelopeError,
    EnvelopeType,
    parse_envelope,
    read_envelope,
    zip_envelope,
)
from entegrator.simulator import CheckSwitches
from entegrator.validation import RuleMode, ValidationOptions, validate
from tests.simulator.conftest import SimEnv
from tests.simulator.support import now_local

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
ENVELOPE_XML = sorted(p.name for p in (SAMPLES / "gib-efatura-paketi").glob("*.xml")
                      if b"StandardBusinessDocument>" in p.read_bytes()[-400:])
ENVELOPE_ZIPS = sorted(p.name for p in (SAMPLES / "envelope-zip").glob("*.zip"))


def _expected(file_name: str, data: bytes) -> int | None:
    try:
        envelope = read_envelope(data, file_name=file_name)
    except EnvelopeError as exc:
        return exc.gib_code
    return validate(envelope.xml, ValidationOptions(rules=RuleMode.OFF)).gib_code


def _zip(xml: bytes) -> tuple[str, bytes]:
    envelope = parse_envelope(xml)
    zipped = zip_envelope(xml, envelope.envelope_id, modified=now_local())
    return zipped.file_name, zipped.data


def _check(env: SimEnv, file_name: str, data: bytes) -> None:
    expected = _expected(file_name, data)
    assert expected is not None, "the 2013 samples are expected to fail today's rules"
    env.a.client.send_document(file_name, data)
    envelope_id = file_name[:-4]
    assert env.wait_status(envelope_id, expected, 1195, 1200, 1300) == expected
    kind = env.record(envelope_id).type  # type: ignore[union-attr]
    if kind != EnvelopeType.SYSTEM.value:  # no response to a response (Ek-2 §4.3)
        assert env.a.wait_responses(envelope_id)[0][1] == expected
    assert envelope_id.lower() not in env.b.received


def test_samples_exist(samples_dir: Path) -> None:
    assert len(ENVELOPE_XML) >= 12 and len(ENVELOPE_ZIPS) == 3
    assert samples_dir == SAMPLES


@pytest.mark.parametrize("name", ENVELOPE_XML)
def test_gib_sample_envelope(env: SimEnv, name: str) -> None:
    file_name, data = _zip((SAMPLES / "gib-efatura-paketi" / name).read_bytes())
    _check(env, file_name, data)


@pytest.mark.parametrize("name", ENVELOPE_ZIPS)
def test_sample_envelope_zip(env: SimEnv, name: str) -> None:
    data = (SAMPLES / "envelope-zip" / name).read_bytes()
    _check(env, name, data)


def test_gib_sample_system_response_is_read_and_routed(sim_factory: Callable[..., SimEnv]
                                                       ) -> None:
    env = sim_factory(checks=CheckSwitches.off())
    xml = (SAMPLES / "gib-efatura-paketi" / "1_SISTEM_YANITI_POSTA_KUTUSU.xml").read_bytes()
    file_name, data = _zip(xml)
    env.b.client.send_document(file_name, data)
    # Read as a system response; the envelope it answers was never delivered to B.
    assert env.wait_status(file_name[:-4], 1181, 1150, 1200) == 1181
    record = env.record(file_name[:-4])
    assert record is not None and record.answers is not None and record.type == "SYSTEMENVELOPE"
