"""Moving outgoing documents between states, each move written to their status history.

Every state change of a document goes through :func:`move`: one conditional ``UPDATE`` that
touches only documents whose current state may lead to the new one
(:func:`entegrator.core.states.allowed_transition`), then one ``document_events`` row per
document that moved, and a :class:`~entegrator.core.events.StatusChanged` event to the sink —
all in the caller's transaction (a sink with ``publish_many`` gets a batch's events at
once). A document that is already further along (a late or repeated status code, a job run
twice) simply does not move: applying the same news twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from entegrator.core.events import StatusChanged, publish_many
from entegrator.core.states import Direction, DocumentState, allowed_transition
from entegrator.store.domain import document_events, documents
from entegrator.store.tenancy import TenantScope

if TYPE_CHECKING:
    from entegrator.core.events import EventSink

__all__ = ["move", "predecessors", "record_events"]

_d = documents.c


@cache
def predecessors(new: DocumentState) -> tuple[str, ...]:
    """The states from which a document may move to ``new``."""
    return tuple(state.value for state in DocumentState if allowed_transition(state, new))


def move(
    scope: TenantScope,
    ids: Sequence[int],
    new: DocumentState,
    *,
    at: datetime,
    events: EventSink,
    message: str | None = None,
    gib_code: int | None = None,
    envelope_uuid: str | None = None,
    values: Mapping[str, Any] | None = None,
    only_envelope: str | None = None,
) -> list[tuple[int, DocumentState]]:
    """Move the documents ``ids`` to ``new`` where allowed; return ``(id, old state)`` moved.

    ``values`` are further columns to set on the moved rows; ``only_envelope`` restricts the
    move to documents whose current envelope is that one (news about an envelope a
    document has since left must not touch it).
    """
    if not ids:
        return []
    olds = dict(
        scope.execute(
            scope.select(documents, _d.id, _d.state).where(
                _d.id.in_(ids), _d.state.in_(predecessors(new)), _d.direction == "OUT",
                *(() if only_envelope is None else (_d.envelope_uuid == only_envelope,)),
            )
        ).all()
    )
    if not olds:
        return []
    update = dict(values or {})
    update.update(state=new.value, state_changed_at=at, updated_at=at)
    if gib_code is not None:
        update.setdefault("gib_status_code", gib_code)
    moved = list(
        scope.execute(
            scope.update(documents)
            .where(_d.id.in_(list(olds)), _d.state.in_(predecessors(new)))
            .values(update)
            .returning(_d.id)
        ).scalars()
    )
    result = [(doc_id, DocumentState(olds[doc_id])) for doc_id in moved]
    record_events(
        scope, result, new, at=at, events=events, message=message, gib_code=gib_code,
        envelope_uuid=envelope_uuid,
    )
    return result


def record_events(
    scope: TenantScope,
    moved: Sequence[tuple[int, DocumentState | None]],
    new: DocumentState,
    *,
    at: datetime,
    events: EventSink,
    message: str | None = None,
    gib_code: int | None = None,
    envelope_uuid: str | None = None,
) -> None:
    """Write the history rows (and publish the events) of documents that reached ``new``."""
    if not moved:
        return
    scope.execute(
        scope.insert(document_events),
        [
            {
                "document_id": doc_id,
                "at": at,
                "state": new.value,
                "gib_status_code": gib_code,
                "envelope_uuid": envelope_uuid,
                "message": message,
            }
            for doc_id, _ in moved
        ],
    )
    happened = [StatusChanged(scope.tenant_id, doc_id, Direction.OUT, old, new, gib_code)
                for doc_id, old in moved]
    publish_many(events, scope.conn, happened)
