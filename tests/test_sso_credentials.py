"""`lz sso-config --credential-process` and `lz credentials`: botocore and the AWS CLI resolve
credentials through the written `<profile>-process` profiles, running the process themselves.

The process is a separate Python, so an in-process Stubber cannot answer its
`sso:GetRoleCredentials`: a local HTTP endpoint does (AWS_ENDPOINT_URL_SSO, which botocore
honours for the `sso` client), and it is strict: the exact path and query of botocore's `sso`
model, the bearer token header, and only the (account, role) pairs the portal grants.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import botocore.exceptions
import botocore.session
import pytest

from landing_zone.cli import main
from tests.helpers import PROJECT_DIR, run_lz
from tests.portal_stub import FUTURE, PAST, TOKEN, WITH_URL, portal_args, write_token

AWS_CLI = Path(sys.executable).with_name("aws")
GRANTED = {("111111111111", "AdministratorAccess"), ("222222222222", "PowerUserAccess")}
EXPIRATION_MS = 4_102_444_800_000  # 2100-01-01T00:00:00Z


class Portal(BaseHTTPRequestHandler):
    """`GET /federation/credentials?role_name=R&account_id=A` with `x-amz-sso_bearer_token`."""

    requests: list[tuple[str, str]] = []

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query, strict_parsing=True)
        if url.path != "/federation/credentials" or set(query) != {"role_name", "account_id"}:
            return self._answer(400, {"message": f"unexpected request {self.path}"}, "ValidationException")
        if self.headers.get("x-amz-sso_bearer_token") != TOKEN:
            return self._answer(
                401, {"message": "Session token not found or invalid"}, "UnauthorizedException"
            )
        (account,), (role,) = query["account_id"], query["role_name"]
        Portal.requests.append((account, role))
        if (account, role) not in GRANTED:
            return self._answer(403, {"message": "No access"}, "ForbiddenException")
        credentials = {
            "accessKeyId": f"ASIA{account}",
            "secretAccessKey": f"secret-{role}",
            "sessionToken": f"token-{account}-{role}",
            "expiration": EXPIRATION_MS,
        }
        self._answer(200, {"roleCredentials": credentials})

    def _answer(self, status: int, body: dict[str, Any], error: str | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if error:
            self.send_header("x-amzn-ErrorType", error)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def portal_endpoint(monkeypatch) -> Iterator[list[tuple[str, str]]]:
    """The portal's credentials endpoint for this process and the ones it starts; yields the
    (account, role) pairs asked for. The started `lz` imports this checkout (PYTHONPATH)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Portal.requests = []
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSO", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("PYTHONPATH", str(PROJECT_DIR))
    yield Portal.requests
    server.shutdown()
    server.server_close()


def lz_credentials(capsys, profile: str) -> tuple[int, str, str]:
    """`lz credentials --profile PROFILE` in this process (it takes no --project-dir)."""
    code = main(["credentials", "--profile", profile])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def written(capsys, aws_home, stub_portal) -> Path:
    """The portal's profiles written with --credential-process, and a valid cached token."""
    write_token(aws_home.parent.parent, FUTURE)
    stub_portal()
    code, out, err = run_lz(capsys, *portal_args(*WITH_URL, "--credential-process", "--write"))
    assert (code, err) == (0, ""), err
    return aws_home


def test_the_process_profiles_are_written_beside_the_sso_ones(written):
    profiles = botocore.session.Session().full_config["profiles"]
    command = f"{sys.executable} -m landing_zone.cli credentials --profile acme-dev-PowerUserAccess"
    assert profiles["acme-dev-PowerUserAccess-process"] == {
        "credential_process": command,
        "region": "eu-west-1",
    }
    assert sorted(profiles) == [
        "acme-dev-PowerUserAccess",
        "acme-dev-PowerUserAccess-process",
        "acme-log-archive-ReadOnlyAccess",
        "acme-log-archive-ReadOnlyAccess-process",
        "acme-production",
        "acme-production-ReadOnlyAccess",
        "acme-production-ReadOnlyAccess-process",
        "acme-production-process",
    ]


def test_botocore_runs_the_process_and_gets_the_roles_credentials(written, portal_endpoint, monkeypatch):
    # Keys in the environment must not stand in for the profile's role inside the process.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "environment")
    credentials = botocore.session.Session(profile="acme-production-process").get_credentials()
    assert credentials is not None and credentials.method == "custom-process"
    frozen = credentials.get_frozen_credentials()
    assert (frozen.access_key, frozen.secret_key, frozen.token) == (
        "ASIA111111111111",
        "secret-AdministratorAccess",
        "token-111111111111-AdministratorAccess",
    )
    assert credentials._expiry_time.isoformat() == "2100-01-01T00:00:00+00:00"
    assert portal_endpoint == [("111111111111", "AdministratorAccess")]


def test_the_aws_cli_runs_the_process(written, portal_endpoint):
    done = subprocess.run(
        [str(AWS_CLI), "configure", "list", "--profile", "acme-dev-PowerUserAccess-process"],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    access_key = next(line for line in done.stdout.splitlines() if line.split()[:1] == ["access_key"])
    assert access_key.split()[1:] == ["****************2222", "custom-process"]
    assert portal_endpoint == [("222222222222", "PowerUserAccess")]


def test_lz_credentials_prints_version_1_json(capsys, written, portal_endpoint):
    code, out, err = lz_credentials(capsys, "acme-dev-PowerUserAccess")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "Version": 1,
        "AccessKeyId": "ASIA222222222222",
        "SecretAccessKey": "secret-PowerUserAccess",
        "SessionToken": "token-222222222222-PowerUserAccess",
        "Expiration": "2100-01-01T00:00:00Z",
    }


NO_TOKEN = "lz credentials: no valid SSO token for sso-session acme: run `aws sso login --sso-session acme`\n"


@pytest.mark.parametrize(
    ("profile", "expires_at", "message"),
    [
        ("nope", FUTURE, "lz credentials: --profile: no profile nope in the AWS config\n"),
        (
            "acme-production-process",
            FUTURE,
            "lz credentials: --profile: profile acme-production-process has no sso_session: "
            "it is not a profile lz sso-config writes\n",
        ),
        ("acme-production", PAST, NO_TOKEN),
        ("acme production", FUTURE, "lz credentials: --profile: 'acme production' is not a name of "),
        (
            "acme-log-archive-ReadOnlyAccess",
            FUTURE,
            "lz credentials: cannot read the access portal: GetRoleCredentials: ForbiddenException: No access\n",
        ),
    ],
    ids=[
        "unknown profile",
        "a process profile (it would run itself)",
        "expired token",
        "bad name",
        "role gone",
    ],
)
def test_lz_credentials_refusals_exit_2(capsys, written, portal_endpoint, profile, expires_at, message):
    write_token(written.parent.parent, expires_at)
    code, out, err = lz_credentials(capsys, profile)
    assert (code, out) == (2, "")
    assert err.startswith(message) and err.count("\n") == 1


def test_botocore_shows_why_the_process_failed(written, portal_endpoint):
    write_token(written.parent.parent, PAST)
    session = botocore.session.Session(profile="acme-production-process")
    with pytest.raises(botocore.exceptions.CredentialRetrievalError) as raised:
        session.get_credentials()
    assert NO_TOKEN.strip() in str(raised.value)
    assert portal_endpoint == []
