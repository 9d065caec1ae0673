"""The principals the store's tests act as: the command line's operator, and signed-in people with a role
in one workspace each."""

from __future__ import annotations

from maturity.store import DEFAULT_WORKSPACE, Access

OP = Access.operator_named("operator:tests")  # what the command line acts as
WS = DEFAULT_WORKSPACE


def person(email: str, **roles: str) -> Access:
    """``person("alice@acme.example", acme="editor")``: a signed-in user with those roles."""
    return Access.of(email, roles)
