"""moto for the live-organization tests: in-process (`mock_aws`) and a server on 127.0.0.1.

Planting an organization takes seconds, and audit and import only read it: the planted
organizations are shared: one in-process, one on the server, each planted once per session.
"""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from tests.live.moto_server import moto_server, reset
from tests.live.planted import REGION, plant

FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
}


def _fake_aws(patch: pytest.MonkeyPatch) -> None:
    """Fake credentials and no profile: nothing here may reach real AWS."""
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        patch.delenv(key, raising=False)
    for key, value in FAKE_ENV.items():
        patch.setenv(key, value)


@pytest.fixture
def aws_env(monkeypatch):
    _fake_aws(monkeypatch)


@pytest.fixture(scope="package")
def planted_inprocess():
    """(session, PlantedOrganization) in an in-process moto (started once: stopping it takes seconds).

    Package scope: the mock ends with tests/live, so other tests start from a clean moto.
    """
    with pytest.MonkeyPatch.context() as patch, mock_aws():
        _fake_aws(patch)
        session = boto3.Session(region_name=REGION)
        yield session, plant(session)


@pytest.fixture(scope="session")
def moto_server_url():
    with moto_server() as url:
        yield url


def _server_env(patch: pytest.MonkeyPatch, url: str) -> None:
    _fake_aws(patch)
    # boto3 reaches the server through AWS_ENDPOINT_URL, as a user's tools would.
    patch.setenv("AWS_ENDPOINT_URL", url)
    # moto answers unimplemented calls with HTTP 500, which botocore would retry with backoff.
    patch.setenv("AWS_MAX_ATTEMPTS", "1")


@pytest.fixture(scope="package")
def planted_server(moto_server_url):
    """The planted organization on the server, planted once after a reset; tests only read it.

    The server's environment is set only while planting (and by `server_env` per test), so
    that in-process tests never reach the server.
    """
    with pytest.MonkeyPatch.context() as patch:
        _server_env(patch, moto_server_url)
        reset(moto_server_url)
        session = boto3.Session(region_name=REGION)
        planted = plant(session)
    return session, planted


@pytest.fixture
def server_env(planted_server, moto_server_url, monkeypatch):
    """The environment a user's shell would have, pointed at the planted server."""
    _server_env(monkeypatch, moto_server_url)
    return planted_server
