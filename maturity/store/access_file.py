"""The access file: which people are members of which workspace, with which role, as YAML.

::

    workspaces:
      acme-bank:
        - {email: alice@acme.example, role: admin}     # one person
        - {domain: acme.example, role: viewer}          # everyone whose verified e-mail is @acme.example
        - {group: gapmap-acme-editors, role: editor}    # a group claim from the identity provider

A person matching several entries of a workspace gets the highest of their roles. The file is read
with YAML's safe loader, refused when it uses aliases or is over 1 MiB, and validated (pydantic): any
mistake is a StoreError naming the file and the place. :class:`AccessFile` reads it again whenever
its modification time or size changes, so a change takes effect without a restart; a file that has
become invalid refuses everyone until it is fixed (never the last good version: a removed member
must lose access at once).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import StoreError
from ..yamldata import LOADER
from .access import ROLES, Access, Role, workspace_name

__all__ = ["ACCESS_FILE_VARIABLE", "AccessFile", "AccessPolicy", "Member", "access_file", "policy_from_yaml"]

ACCESS_FILE_VARIABLE = "GAPMAP_ACCESS_FILE"
_MAX_BYTES = 1024 * 1024


class Member(BaseModel):
    """One entry of a workspace: exactly one of ``email``, ``domain`` or ``group``, and a ``role``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    email: str | None = None
    domain: str | None = None
    group: str | None = None
    role: Role

    @field_validator("email", "domain", "group")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        if value is None:
            return None
        text = value.strip()
        if not text or any(c.isspace() for c in text):
            raise ValueError("must be one word, without spaces")
        return text

    @model_validator(mode="after")
    def _one_kind(self) -> Member:
        given = [name for name in ("email", "domain", "group") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of email, domain or group"
                             + (f" (this entry has {' and '.join(given)})" if given else ""))
        if self.email is not None and self.email.count("@") != 1:
            raise ValueError(f"{self.email!r} is not an e-mail address")
        if self.domain is not None and ("@" in self.domain or "." not in self.domain):
            raise ValueError(f"{self.domain!r} is not an e-mail domain (write it without @, e.g. example.org)")
        return self

    def matches(self, email: str, verified: bool, groups: frozenset[str]) -> bool:
        """Whether a person with ``email`` (its address ``verified`` by the provider) and ``groups`` is this entry."""
        if self.group is not None:
            return self.group in groups
        if not email or not verified:
            return False
        if self.email is not None:
            return email.casefold() == self.email.casefold()
        return email.rpartition("@")[2].casefold() == self.domain.casefold().removeprefix(".")


class AccessPolicy(BaseModel):
    """The access file validated: ``workspaces`` maps a workspace name to its members."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    workspaces: dict[str, list[Member]] = Field(default_factory=dict)

    @field_validator("workspaces")
    @classmethod
    def _names(cls, value: dict[str, list[Member]]) -> dict[str, list[Member]]:
        for name in value:
            try:
                workspace_name(name)
            except StoreError as error:
                raise ValueError(str(error)) from None
        return value

    def access_for(self, email: str | None, groups: tuple[str, ...] | list[str] = (), verified: bool = True) -> Access:
        """The Access of a signed-in person: their role in each workspace that lists them (the highest when
        several entries do). An e-mail address the provider has not verified matches no e-mail or domain
        entry, only groups. Someone in no workspace gets an Access with no roles."""
        address = (email or "").strip()
        claimed = frozenset(str(g) for g in groups)
        roles: dict[str, Role] = {}
        for workspace, members in self.workspaces.items():
            for member in members:
                if member.matches(address, verified, claimed):
                    best = roles.get(workspace)
                    if best is None or ROLES.index(member.role) > ROLES.index(best):
                        roles[workspace] = member.role
        return Access.of(address or "(no e-mail)", roles, claimed)


def policy_from_yaml(text: str | bytes, name: str = "access file") -> AccessPolicy:
    """Validate an access file's text. Raises StoreError naming ``name`` and the place of the first mistake."""
    if len(text) > _MAX_BYTES:
        raise StoreError(f"the access file {name} is larger than 1 MiB")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise StoreError(f"the access file {name} is not UTF-8 text") from None
    try:
        if any(isinstance(token, yaml.AliasToken) for token in yaml.scan(text, Loader=LOADER)):
            raise StoreError(f"the access file {name} uses YAML aliases (*name): write each entry out in full")
        document = yaml.load(text, Loader=LOADER)  # plain data only
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise StoreError(f"the access file {name} is not valid YAML{where}: "
                         f"{getattr(error, 'problem', None) or error}") from None
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise StoreError(f"the access file {name} must hold a mapping: workspaces, each a list of members")
    try:
        return AccessPolicy.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        place = ".".join(str(part) for part in first["loc"]) or "top level"
        message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"].removeprefix("Value error, ")
        if first["type"] == "literal_error":
            message = f"a role is one of {', '.join(ROLES)}"
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        raise StoreError(f"the access file {name}: {place}: {message}{more}") from None


class AccessFile:
    """An access file on disk, read again when it changes (its modification time or size).

    :meth:`policy` returns the policy as the file says now; it raises StoreError when the file is
    missing, unreadable or invalid (nobody is let in by a file that cannot be read)."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path).expanduser()
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self._policy: AccessPolicy | None = None

    def policy(self) -> AccessPolicy:
        try:
            stat = self.path.stat()
        except OSError as error:
            raise StoreError(f"the access file {self.path} cannot be read: {error.strerror or error}") from None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._seen or self._policy is None:
                self._policy = None
                self._seen = stamp
                try:
                    data = self.path.read_bytes()
                except OSError as error:
                    raise StoreError(f"the access file {self.path} cannot be read: {error.strerror or error}") from None
                self._policy = policy_from_yaml(data, str(self.path))
            return self._policy

    def access_for(self, email: str | None, groups: tuple[str, ...] | list[str] = (), verified: bool = True) -> Access:
        """:meth:`AccessPolicy.access_for` by the file as it is now."""
        return self.policy().access_for(email, groups, verified)


_files: dict[Path, AccessFile] = {}
_files_lock = threading.Lock()


def access_file(path: str | os.PathLike[str] | None = None) -> AccessFile | None:
    """The access file at ``path``, else at ``GAPMAP_ACCESS_FILE``; None when neither is set. One
    AccessFile per path in a process, so its reloading is shared."""
    chosen = path if path is not None else os.environ.get(ACCESS_FILE_VARIABLE, "").strip()
    if not chosen:
        return None
    resolved = Path(chosen).expanduser().resolve()
    with _files_lock:
        return _files.setdefault(resolved, AccessFile(resolved))
