"""Who is using the dashboard, and so what the snapshot store lets them see: the one place the pages get
the :class:`~maturity.store.Access` every store call takes.

Three ways to run, chosen by the settings alone:

* **local**: no ``[auth]`` in ``.streamlit/secrets.toml`` and the database a SQLite file on this machine
  (``make run``): one person, no sign-in, every workspace, as before workspaces existed.
* **sign-in**: an ``[auth]`` section: the whole dashboard is behind Streamlit's own OpenID Connect sign-in
  (``st.login``), and each person's workspaces and roles come from the access file (``GAPMAP_ACCESS_FILE``)
  by their e-mail address and group claims. Someone in no workspace sees only a page saying to ask an
  administrator.
* **shared without sign-in**: any other database and no ``[auth]``: the files explored work as ever, but
  snapshots are neither shown nor saved, and the pages say why, unless the operator set
  ``GAPMAP_ALLOW_ANONYMOUS=1`` (logged when the server starts), which lets everyone in as one anonymous
  operator.
"""

from __future__ import annotations

import logging
import os
from typing import Literal

import streamlit as st
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from maturity import GapmapError
from maturity.errors import StoreError
from maturity.store import DEFAULT_WORKSPACE, Access, access_file, audit_trail, database_url
from maturity.store.access_file import ACCESS_FILE_VARIABLE
from pages._ui import session

Mode = Literal["local", "signin", "anonymous", "refused"]
ALLOW_ANONYMOUS = "GAPMAP_ALLOW_ANONYMOUS"
GROUPS_CLAIM = "GAPMAP_GROUPS_CLAIM"  # the ID token claim holding the person's groups (default: groups)
_LOG = logging.getLogger("gapmap.signin")
_logged: set[str] = set()


def _auth_configured() -> bool:
    try:
        return bool(st.secrets.load_if_toml_exists() and st.secrets.get("auth"))
    except Exception:  # an unreadable secrets file: Streamlit says so itself; there is no sign-in to use
        return False


def _local_database(url: str) -> bool:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    database = parsed.database or ""
    return parsed.get_backend_name() == "sqlite" and bool(database) and database != ":memory:" and \
        not database.startswith("file:")


def _allow_anonymous() -> bool:
    return os.environ.get(ALLOW_ANONYMOUS, "").strip().lower() in ("1", "true", "yes", "on")


def mode() -> Mode:
    """How this dashboard is run (see the module's docstring); said once in the server's log."""
    if _auth_configured():
        chosen: Mode = "signin"
    elif _local_database(database_url()):
        chosen = "local"
    elif _allow_anonymous():
        chosen = "anonymous"
    else:
        chosen = "refused"
    if chosen not in _logged:
        _logged.add(chosen)
        if chosen == "anonymous":
            _LOG.warning("%s=1: the shared database is open to everyone who reaches the dashboard, without "
                         "sign-in", ALLOW_ANONYMOUS)
        elif chosen == "refused":
            _LOG.warning("the database is shared and sign-in is not set up: snapshots are not shown or saved")
        else:
            _LOG.info("access: %s", chosen)
    return chosen


def _claims() -> dict:
    return dict(st.user.to_dict()) if st.user.is_logged_in else {}


def _groups(claims: dict) -> tuple[str, ...]:
    found = claims.get(os.environ.get(GROUPS_CLAIM, "").strip() or "groups") or ()
    if isinstance(found, str):
        found = [found]
    return tuple(str(group) for group in found) if isinstance(found, list | tuple) else ()


def signed_in_access() -> Access | None:
    """The signed-in person's Access by the access file as it is now; None when nobody is signed in.
    Raises StoreError when no access file is set, or it cannot be read or is invalid."""
    claims = _claims()
    if not claims:
        return None
    watched = access_file()
    if watched is None:
        raise StoreError(f"no access file is set ({ACCESS_FILE_VARIABLE}): nobody is in a workspace")
    verified = claims.get("email_verified", True) not in (False, "false", "False")
    return watched.access_for(claims.get("email"), _groups(claims), verified)


def access() -> Access:
    """The Access of whoever uses this session, for every store call. Raises StoreError, in words for the
    page, when snapshots cannot be used here: the database is shared and sign-in is not set up, nobody is
    signed in, or the access file cannot be used."""
    chosen = mode()
    if chosen == "local":
        return Access.operator_named("local user")
    if chosen == "anonymous":
        return Access.operator_named("anonymous")
    if chosen == "refused":
        raise StoreError("snapshots are not shown or saved here: this dashboard's database is shared and sign-in "
                         "is not set up (an [auth] section in .streamlit/secrets.toml; see docs/deployment.md), "
                         f"nor is {ALLOW_ANONYMOUS}=1 set")
    found = signed_in_access()
    if found is None:
        raise StoreError("sign in to see snapshots")
    return found


def workspaces(role: Literal["viewer", "editor", "admin"] = "viewer") -> tuple[str, ...]:
    """The workspaces this session's person has at least ``role`` in (none for a local or anonymous one,
    who sees every workspace)."""
    try:
        return access().workspaces(role)
    except GapmapError:
        return ()


def workspace() -> str | None:
    """The workspace this session reads from: the one picked in the sidebar (or the person's only one);
    None (every workspace) for a local or anonymous operator."""
    try:
        mine = access()
    except GapmapError:
        return None
    if mine.operator:
        return None
    listed = mine.workspaces()
    picked = session.widget_value(session.WORKSPACE_PICKER)
    if picked in listed:
        return picked
    return listed[0] if listed else None


def save_workspace() -> str:
    """Where a save goes: this session's workspace, else (local or anonymous) the default one."""
    return workspace() or DEFAULT_WORKSPACE


def gate() -> None:
    """Called by app.py before anything is drawn: with sign-in set up, a person not signed in sees only the
    sign-in page, and one in no workspace only a page saying to ask an administrator."""
    if mode() != "signin":
        return
    if not st.user.is_logged_in:
        _only(_sign_in_page)
    try:
        mine = signed_in_access()
    except GapmapError as error:
        message = f"Your access cannot be checked: {error}"
    else:
        if mine is not None and mine.member:
            return
        who = (mine.user if mine else "") or "someone without an e-mail address"
        message = (f"You are signed in as {who}, but you are not a member of any workspace. Ask your administrator "
                   "to add you.")
    _only(lambda: _refusal_page(message))


def _only(draw) -> None:
    """Draw ``draw`` as the one page there is, whatever the address asked for, and nothing after it (no
    navigation, no sidebar: the dashboard's own pages are not listed)."""
    st.navigation([st.Page(draw, title="gapmap", url_path="signin", default=True)], position="hidden").run()
    st.stop()


def _sign_in_page() -> None:
    st.title("gapmap")
    st.markdown("Sign in with your organisation's account to see its maturity assessments.")
    st.button("Sign in", icon=":material/login:", type="primary", on_click=st.login)


def _refusal_page(message: str) -> None:
    from pages._ui.components import escape_markdown

    st.title("gapmap")
    st.warning(escape_markdown(message), icon=":material/lock:")
    st.button("Sign out", icon=":material/logout:", on_click=st.logout)


def sidebar() -> None:
    """The sidebar's "Signed in" block: who, the workspace picker (for a member of several), the audit log
    for an admin, and "Sign out". Nothing without sign-in."""
    if mode() != "signin" or not st.user.is_logged_in:
        return
    from pages._ui.components import escape_markdown

    try:
        mine = access()
    except GapmapError:
        return
    st.markdown("**Signed in**")
    st.caption(escape_markdown(mine.user))
    listed = mine.workspaces()
    if len(listed) > 1:
        if session.widget_value(session.WORKSPACE_PICKER) not in listed:
            session.set_widget_value(session.WORKSPACE_PICKER, listed[0])
        st.selectbox("Workspace", listed, key=session.WORKSPACE_PICKER,
                     format_func=lambda w: f"{w} ({mine.role(w)})")
    elif listed:
        st.caption(f"Workspace: {escape_markdown(listed[0])} ({mine.role(listed[0])})")
    current = workspace()
    if current is not None and mine.can(current, "admin"):
        st.download_button("Download the audit log (CSV)", data=lambda: _audit_csv(mine, current),
                           file_name=f"gapmap-audit-{current}.csv", mime="text/csv", icon=":material/download:",
                           width="stretch", on_click="ignore")
    st.button("Sign out", icon=":material/logout:", on_click=st.logout, width="stretch")


def _audit_csv(mine: Access, current: str) -> bytes:
    from maturity import to_csv_bytes
    from pages._ui import database

    return to_csv_bytes(audit_trail(database.store(), access=mine, workspace=current))
