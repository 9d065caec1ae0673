"""A shared deployment with sign-in, for the browser tests: a real OpenID Connect provider
(oidc-provider-mock, a local server that speaks the protocol) on a free port, and the dashboard configured
for it exactly as docs/deployment.md says (an ``[auth]`` section in a secrets file, an access file, a
database), holding snapshots of two organisations in two workspaces.

People: Alice edits workspace ``acme`` (organisation "Acme Bank"), Bob views workspace ``globex``
(organisation "Globex Corp"), Eve is in no workspace.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.processes import free_port, running

ROOT = Path(__file__).resolve().parents[2]
ALICE, BOB, EVE = "alice@acme.example", "bob@globex.example", "eve@elsewhere.example"
ACCESS_FILE = f"""workspaces:
  acme:
    - {{email: {ALICE}, role: editor}}
  globex:
    - {{email: {BOB}, role: viewer}}
"""


@contextlib.contextmanager
def provider(timeout: float = 60) -> Iterator[str]:
    """The OIDC provider on a free port of 127.0.0.1 until the block ends, knowing the three people (their
    e-mail addresses verified); yields its issuer URL."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    people = [json.dumps({"sub": email, "email": email, "email_verified": True, "name": email.split("@")[0]})
              for email in (ALICE, BOB, EVE)]
    command = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--host", "127.0.0.1",
               *[part for person in people for part in ("--user-claims", person)]]
    with running(command, f"{issuer}/.well-known/openid-configuration", "the OIDC provider", timeout,
                 env={"NO_COLOR": "1"}):
        yield issuer


@dataclass(frozen=True)
class Deployment:
    """What a sign-in dashboard is run with: its port, secrets file, access file and database."""

    port: int
    folder: Path
    secrets: Path
    access: Path
    database: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        # Plain HTTP to the provider is for this test only: a real one is reached over HTTPS.
        return {"GAPMAP_DATABASE_URL": self.database, "GAPMAP_ACCESS_FILE": str(self.access),
                "AUTHLIB_INSECURE_TRANSPORT": "1"}

    @property
    def options(self) -> tuple[str, ...]:
        return ("--secrets.files", str(self.secrets))


def deployment(issuer: str, folder: Path) -> Deployment:
    """Write the secrets file (``[auth]`` for ``issuer``), the access file and a database holding one
    snapshot of each organisation in its workspace, saved as the command line does."""
    port = free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(f"""[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "gapmap"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
""")
    access = folder / "access.yaml"
    access.write_text(ACCESS_FILE)
    database = f"sqlite:///{folder / 'shared.db'}"
    for org, workspace, unit in (("Acme Bank", "acme", "Acme Payments"), ("Globex Corp", "globex", "Globex Secret")):
        book = folder / f"{workspace}.csv"
        book.write_text("Unit,Dimension,Practice,Current,Target\n"
                        f"{unit},Build & Deploy,Scripted builds,2,4\n"
                        f"{unit},Test & Verification,Automatic unit tests,1,3\n")
        result = subprocess.run([sys.executable, "-m", "maturity", "save", str(book), "--org", org, "--as-of",
                                 "2026-03-31", "--label", f"Q1 {workspace}", "--workspace", workspace, "--db",
                                 database], cwd=ROOT, capture_output=True, text=True, timeout=180)
        if result.returncode:
            raise RuntimeError(f"saving the {workspace} snapshot failed: {result.stderr}")
    return Deployment(port, folder, secrets_file, access, database)
