"""Who may do what in the store: the :class:`Access` every read and write takes, and the one check of it.

Every snapshot belongs to a workspace (a client, a business line). An Access names a user (an e-mail
address), the groups the identity provider gave them, and their role in each workspace they belong
to: a **viewer** reads (lists, opens, exports), an **editor** also saves, an **admin** also deletes
and reads the audit log. The command line runs with the database's own credentials and so acts as an
:meth:`Access.operator`, allowed everything, naming the workspace it works in.

The store's functions call :func:`require` before a change and filter every query by
:func:`readable`: a user outside a workspace finds none of its snapshots, and a snapshot id of another
workspace is refused exactly as one that does not exist (no way to learn it exists).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, false, true

from ..errors import StoreError

__all__ = ["DEFAULT_WORKSPACE", "ROLES", "Access", "Role", "command_line_access", "readable", "require",
           "workspace_name"]

Role = Literal["viewer", "editor", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "editor", "admin")  # each allows what the ones before it do
DEFAULT_WORKSPACE = "default"  # where snapshots saved before workspaces existed are, and the CLI's default
_WORKSPACE_LIMIT = 100
_ACTIONS = {"viewer": "read", "editor": "save snapshots", "admin": "delete snapshots and read the audit log"}


def workspace_name(value: str | None) -> str:
    """``value`` as a workspace name: one line of text, trimmed. Raises StoreError when empty or too long."""
    name = " ".join(str(value or "").split())
    if not name:
        raise StoreError("a workspace needs a name")
    if len(name) > _WORKSPACE_LIMIT or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise StoreError(f"{name[:_WORKSPACE_LIMIT]!r}… is not a workspace name: at most {_WORKSPACE_LIMIT} "
                         "characters of one line")
    return name


@dataclass(frozen=True)
class Access:
    """What one principal may do: ``user`` (an e-mail address, or the operator's name), the ``groups``
    its identity provider gave, and its role per workspace (``roles``, sorted pairs). An ``operator``
    may do everything in every workspace. Hashable, so a cache can be keyed on it."""

    user: str
    roles: tuple[tuple[str, Role], ...] = ()
    groups: tuple[str, ...] = ()
    operator: bool = False

    @classmethod
    def operator_named(cls, user: str = "operator") -> Access:
        """The command line's access (or a local single-user dashboard's): every workspace, every action."""
        return cls(user=user or "operator", operator=True)

    @classmethod
    def of(cls, user: str, roles: Mapping[str, Role], groups: Iterable[str] = ()) -> Access:
        """An Access from ``{workspace: role}``. Raises StoreError for an unknown role."""
        for workspace, role in roles.items():
            if role not in ROLES:
                raise StoreError(f"{role!r} is not a role (workspace {workspace!r}): use one of {', '.join(ROLES)}")
        return cls(user=user, roles=tuple(sorted((workspace_name(w), r) for w, r in roles.items())),
                   groups=tuple(sorted(set(groups))))

    def role(self, workspace: str) -> Role | None:
        """The role in ``workspace``, None when not a member (an operator is admin everywhere)."""
        if self.operator:
            return "admin"
        return dict(self.roles).get(workspace)

    def can(self, workspace: str, role: Role) -> bool:
        """Whether this access has at least ``role`` in ``workspace``."""
        found = self.role(workspace)
        return found is not None and ROLES.index(found) >= ROLES.index(role)

    def workspaces(self, role: Role = "viewer") -> tuple[str, ...]:
        """The workspaces where this access has at least ``role``, alphabetically (an operator's are every
        workspace, which only the database can list: this gives none for it)."""
        return tuple(w for w, r in self.roles if ROLES.index(r) >= ROLES.index(role))

    @property
    def member(self) -> bool:
        """Whether this access may read anything at all."""
        return self.operator or bool(self.roles)


def command_line_access() -> Access:
    """The command line's access: an operator (it holds the database's credentials), named after the
    system user for the audit log (``operator:alice``)."""
    import getpass

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        user = "unknown"
    return Access.operator_named(f"operator:{user}")


def require(access: Access, workspace: str, role: Role) -> str:
    """``workspace`` (its name cleaned) when ``access`` has at least ``role`` in it. Raises StoreError
    ("not allowed") otherwise; the message says what the role allows."""
    if not isinstance(access, Access):
        raise TypeError(f"the store needs an Access, not {type(access).__name__}")
    name = workspace_name(workspace)
    if access.can(name, role):
        return name
    found = access.role(name)
    if found is None:
        raise StoreError(f"not allowed: {access.user} is not a member of workspace {name!r} (ask your administrator)")
    raise StoreError(f"not allowed: {access.user} is {found} in workspace {name!r}; to {_ACTIONS[role]} needs "
                     f"{role}")


def readable(access: Access, column: ColumnElement, workspace: str | None = None,
             role: Role = "viewer") -> ColumnElement[bool]:
    """The condition on a query's workspace ``column`` that keeps what ``access`` may see with ``role``:
    ``workspace`` alone when one is named (refused with StoreError when not allowed), else every workspace
    ``access`` has that role in (nothing at all for a principal in none)."""
    if not isinstance(access, Access):
        raise TypeError(f"the store needs an Access, not {type(access).__name__}")
    if workspace is not None:
        return column == require(access, workspace, role)
    if access.operator:
        return true()
    allowed = access.workspaces(role)
    return column.in_(allowed) if allowed else false()
