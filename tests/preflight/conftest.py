"""One in-process moto for the preflight tests, emptied before each: planting a small
organization takes a tenth of a second, starting moto a second."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from tests.live.conftest import _fake_aws
from tests.preflight.planted import REGION


@pytest.fixture(scope="package")
def moto_inprocess():
    """The mock and one boto3 session: a session loads each service's model once, and that is
    most of a test's time."""
    with pytest.MonkeyPatch.context() as patch:
        _fake_aws(patch)
        mock = mock_aws()
        mock.start()
        try:
            yield mock, boto3.Session(region_name=REGION)
        finally:
            mock.stop()


@pytest.fixture
def session(moto_inprocess, monkeypatch):
    """The session on an emptied moto, with the fake environment `lz` would see."""
    _fake_aws(monkeypatch)
    mock, shared = moto_inprocess
    mock.reset()
    return shared
