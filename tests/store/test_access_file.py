"""The access file: workspaces → members by e-mail address, domain or group claim, each with a role;
validated with the place of a mistake, read safely, read again when it changes."""

from __future__ import annotations

import os

import pytest

from maturity.errors import StoreError
from maturity.store import AccessFile, access_file, policy_from_yaml

POLICY = """
workspaces:
  acme:
    - {email: Alice@Acme.example, role: editor}
    - {domain: acme.example, role: viewer}
    - {group: gapmap-acme-admins, role: admin}
  globex:
    - {email: greg@globex.example, role: viewer}
    - {email: alice@acme.example, role: viewer}
"""


@pytest.mark.parametrize(("email", "groups", "verified", "roles"), [
    ("alice@acme.example", (), True, (("acme", "editor"), ("globex", "viewer"))),  # the highest of her entries
    ("ALICE@acme.example", (), True, (("acme", "editor"), ("globex", "viewer"))),  # addresses ignore case
    ("bob@acme.example", (), True, (("acme", "viewer"),)),  # by domain
    ("bob@sub.acme.example", (), True, ()),  # a domain is that domain, not those under it
    ("bob@acme.example.evil.org", (), True, ()),
    ("bob@acme.example", (), False, ()),  # an address the provider did not verify matches no address or domain
    ("ops@contractor.example", ("gapmap-acme-admins",), False, (("acme", "admin"),)),  # a group claim does
    ("eve@elsewhere.example", ("other",), True, ()),
    ("", (), True, ()),
])
def test_who_gets_which_role(email, groups, verified, roles):
    access = policy_from_yaml(POLICY).access_for(email, groups, verified)
    assert access.roles == roles
    assert access.member is bool(roles)
    assert not access.operator


@pytest.mark.parametrize(("text", "message"), [
    ("workspaces:\n  acme:\n    - {email: a@b.example, role: owner}\n", r"workspaces\.acme\.0\.role: a role is one of "
                                                                         "viewer, editor, admin"),
    ("workspaces:\n  acme:\n    - {email: a@b.example, domain: b.example, role: viewer}\n",
     "give exactly one of email, domain or group (this entry has email and domain)"),
    ("workspaces:\n  acme:\n    - {role: viewer}\n", "give exactly one of email, domain or group"),
    ("workspaces:\n  acme:\n    - {email: not-an-address, role: viewer}\n", "is not an e-mail address"),
    ("workspaces:\n  acme:\n    - {domain: '@acme.example', role: viewer}\n", "is not an e-mail domain"),
    ("workspaces:\n  acme:\n    - {email: a@b.example, role: viewer, extra: 1}\n", "unknown key"),
    ("members: []\n", "members: unknown key"),
    ("workspaces:\n  acme: [\n", "is not valid YAML at line"),
    ("- just a list\n", "must hold a mapping"),
    ("base: &b {email: a@b.example, role: admin}\nworkspaces:\n  acme: [*b]\n", "uses YAML aliases"),
    ("workspaces:\n  acme:\n    - {email: a@b.example, role: viewer}\n  acme:\n    - {email: c@d.example, role: admin}"
     "\n  !!python/object/apply:os.system [echo hi]: []\n", "not valid YAML"),
])
def test_mistakes_are_said_with_their_place(text, message):
    with pytest.raises(StoreError, match=message.replace("(", r"\(").replace(")", r"\)")):
        policy_from_yaml(text, "access.yaml")


def test_an_empty_file_lets_nobody_in():
    assert policy_from_yaml("").access_for("alice@acme.example").roles == ()


def test_the_file_is_read_again_when_it_changes(tmp_path):
    path = tmp_path / "access.yaml"
    path.write_text("workspaces:\n  acme:\n    - {email: alice@acme.example, role: viewer}\n")
    watched = AccessFile(path)
    assert watched.access_for("alice@acme.example").role("acme") == "viewer"
    path.write_text("workspaces:\n  acme:\n    - {email: alice@acme.example, role: admin}\n")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert watched.access_for("alice@acme.example").role("acme") == "admin"
    # A file broken by an edit refuses everyone until it is mended; never the last good version.
    path.write_text("workspaces:\n  acme:\n    - {email: alice@acme.example, role: root}\n")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 2_000_000))
    with pytest.raises(StoreError, match="a role is one of"):
        watched.access_for("alice@acme.example")
    with pytest.raises(StoreError, match="a role is one of"):
        watched.access_for("alice@acme.example")
    path.unlink()
    with pytest.raises(StoreError, match="cannot be read"):
        watched.access_for("alice@acme.example")


def test_the_file_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("GAPMAP_ACCESS_FILE", raising=False)
    assert access_file() is None
    path = tmp_path / "access.yaml"
    path.write_text(POLICY)
    monkeypatch.setenv("GAPMAP_ACCESS_FILE", str(path))
    assert access_file() is access_file(path)  # one per path, its reloading shared
    assert access_file().access_for("greg@globex.example").roles == (("globex", "viewer"),)
