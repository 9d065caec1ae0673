"""The audit log: who saved, opened, exported and deleted which snapshot, in which workspace, and when.

Every line is written in the same transaction as what it records (a save and its line commit
together), except opening and exporting, which are recorded as they happen. Lines stay after the
snapshot they name is deleted. An admin of a workspace reads its lines as a table
(:func:`audit_trail`), e.g. to download as CSV.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, insert, select

from ..errors import StoreError
from .access import Access, readable, require
from .codec import dumps
from .connect import Store
from .schema import audit_log, snapshots

__all__ = ["ACTIONS", "AUDIT_COLUMNS", "audit", "audit_trail", "record_export"]

ACTIONS = ("save", "open", "export", "delete")
AUDIT_COLUMNS = ("at", "workspace", "action", "actor", "organisation", "snapshot", "label", "as_of", "detail")


def audit(connection: Connection, action: str, workspace: str, organisation: str, snapshot_id: int | None,
          access: Access, detail: dict) -> None:
    """Write a line: ``access`` did ``action`` (one of ``ACTIONS``) to a snapshot (None: to several)."""
    if action not in ACTIONS:
        raise ValueError(f"{action!r} is not an audited action")
    connection.execute(insert(audit_log).values(at=datetime.now(UTC).replace(tzinfo=None), action=action,
                                                workspace=workspace, organisation=organisation,
                                                snapshot_id=snapshot_id, actor=access.user, detail=dumps(detail)))


def record_export(store: Store, org: str, what: str, *, access: Access, snapshot_id: int | None = None,
                  workspace: str | None = None) -> None:
    """Record that ``access`` exported ``what`` (e.g. "roadmap.csv") of the snapshot ``snapshot_id`` of
    ``org``, or, without an id, of ``org``'s snapshots in ``workspace`` (a history). Raises StoreError when
    ``access`` may not see that snapshot or workspace."""
    from .snapshots import _text

    organisation = _text(org, "an organisation", True)
    with store.writing() as connection:
        if snapshot_id is None:
            if workspace is None:
                raise StoreError("an export of several snapshots names its workspace")
            space = require(access, workspace, "viewer")
            detail = {"what": what}
        else:
            head = connection.execute(select(snapshots.c.workspace, snapshots.c.label, snapshots.c.as_of).where(
                snapshots.c.id == int(snapshot_id), snapshots.c.organisation == organisation,
                readable(access, snapshots.c.workspace, workspace))).one_or_none()
            if head is None:
                raise StoreError(f"there is no snapshot {snapshot_id} of organisation {organisation!r} that you are "
                                 "allowed to export")
            space = head.workspace
            detail = {"what": what, "label": head.label, "as_of": head.as_of.isoformat()}
        audit(connection, "export", space, organisation, snapshot_id, access, detail)


def audit_trail(store: Store, *, access: Access, workspace: str | None = None) -> pd.DataFrame:
    """The audit log of ``workspace`` (else of every workspace ``access`` is an admin of), oldest first, as a
    table of ``AUDIT_COLUMNS`` (``at`` in UTC, ISO 8601; ``detail`` the rest as JSON). Raises StoreError
    when ``access`` is an admin of no workspace, or not of the one named ("not allowed")."""
    if workspace is None and not access.operator and not access.workspaces("admin"):
        raise StoreError(f"not allowed: {access.user} is an admin of no workspace; the audit log is for admins")
    mine = readable(access, audit_log.c.workspace, workspace, role="admin")
    with store.reading() as connection:
        rows = connection.execute(select(audit_log).where(mine).order_by(audit_log.c.at, audit_log.c.id)).all()
    records = []
    for row in rows:
        detail = json.loads(row.detail) if row.detail else {}
        records.append((row.at.replace(tzinfo=UTC).isoformat(timespec="seconds"), row.workspace, row.action,
                        row.actor, row.organisation, row.snapshot_id, detail.pop("label", None),
                        detail.pop("as_of", None), json.dumps(detail, sort_keys=True) if detail else ""))
    frame = pd.DataFrame(records, columns=list(AUDIT_COLUMNS))
    frame["snapshot"] = frame["snapshot"].astype("Int64")
    return frame
