"""Sessions and clients for the live organization: adaptive retries, member-account roles.

boto3's own resolution applies throughout (profiles, environment, `AWS_ENDPOINT_URL`):
nothing here passes an endpoint. Client creation from a shared `boto3.Session` is not
thread-safe, so every client is made under one lock; the clients themselves are.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError
from botocore.parsers import ResponseParserError

from landing_zone.config.base import ACCOUNT_ID, ROLE_NAME

from .defaults import DEFAULT_ROLE_NAME

log = logging.getLogger(__name__)

SESSION_NAME = "lz-audit"
_client_lock = threading.Lock()
# A bound on every pagination: list_accounts answers 20 accounts a page (40,000 accounts).
MAX_PAGES = 2000


def refuse_html_answers(operation_model: Any, response_dict: Mapping[str, Any], **_: Any) -> None:
    """A successful answer to a JSON API that is a page (a proxy's), not AWS's JSON.

    botocore parses such a body as an empty answer: a list call would read as "nothing there"
    and pass. XML APIs already fail to parse it, and error statuses are parsed as errors.
    """
    if operation_model.metadata.get("protocol") not in ("json", "rest-json"):
        return
    body = response_dict.get("body")
    if response_dict.get("status_code", 0) >= 300 or not isinstance(body, bytes):
        return
    # The body, not its Content-Type: some endpoints (moto's server) label JSON text/html.
    if body.lstrip()[:1] == b"<":
        raise ResponseParserError(f"{operation_model.name}: the answer is a page, not AWS's JSON")


def retry_config(max_attempts: int | None = None) -> Config:
    """botocore's adaptive retries (client-side rate limiting for throttled org-wide reads).

    Without `max_attempts`, the usual resolution applies (`AWS_MAX_ATTEMPTS`, the profile's
    `max_attempts`, else botocore's default).
    """
    retries: dict[str, Any] = {"mode": "adaptive"}
    if max_attempts is not None:
        retries["total_max_attempts"] = max_attempts
    return Config(retries=retries)  # type: ignore[arg-type]


class Clients:
    """Clients of one account, all with the same retry settings, made once each.

    A member account's clients come from the management session with the member's role
    credentials, so that botocore's loaded service models are shared: a boto3 session per
    member would load them again for every account (a fifth of a second of CPU each).
    """

    def __init__(
        self,
        session: boto3.Session,
        config: Config | None = None,
        credentials: Mapping[str, str] | None = None,
        account_id: str | None = None,
    ) -> None:
        self.session = session
        self.config = config or retry_config()
        self.account_id = account_id  # None: the account of the session's own credentials
        self._credentials = dict(credentials or {})
        self._clients: dict[tuple[str, str], Any] = {}

    @property
    def region(self) -> str:
        return self.session.region_name or "us-east-1"

    def client(self, service: str, region: str | None = None) -> Any:
        key = (service, region or self.region)
        with _client_lock:
            if key not in self._clients:
                client = self.session.client(  # type: ignore[call-overload]
                    service, region_name=key[1], config=self.config, **self._credentials
                )
                client.meta.events.register("before-parse", refuse_html_answers)
                self._clients[key] = client
            return self._clients[key]

    def for_account(self, account_id: str, role_name: str = DEFAULT_ROLE_NAME) -> Clients:
        """The clients of a member account, through a role it trusts the management account with."""
        if not ACCOUNT_ID.matches(account_id):
            raise ValueError(f"{account_id!r} is not an AWS account id of 12 digits")
        if not ROLE_NAME.matches(role_name):
            raise ValueError(f"{role_name!r} is not an IAM role name")
        role_arn = f"arn:aws:iam::{account_id}:role/{role_name}"
        log.debug("assuming %s", role_arn)
        credentials = self.client("sts").assume_role(RoleArn=role_arn, RoleSessionName=SESSION_NAME)[
            "Credentials"
        ]
        member_credentials = {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        }
        return Clients(self.session, self.config, member_credentials, account_id)


class EndlessPagination(BotoCoreError):
    """A pagination that does not end: a next-page token seen before, or too many pages.

    A BotoCoreError, so that it is the error of the check that paginates, like any other.
    """

    fmt = "{operation}: {reason}; stopped"


class PageBound:
    """Follows one pagination's next-page tokens; raises EndlessPagination when they loop.

    botocore's paginators notice a token repeated at once, not A, B, A, and never count
    pages; a loop by hand (Cost Explorer's NextPageToken) notices nothing.
    """

    def __init__(self, operation: str, max_pages: int | None = None) -> None:
        self.operation = operation
        self.max_pages = MAX_PAGES if max_pages is None else max_pages
        self.pages = 0
        self._seen: set[str] = set()

    def next(self, token: object) -> None:
        """Record a page and its next-page token (None or empty: the last page)."""
        self.pages += 1
        if not token or (isinstance(token, dict) and not any(token.values())):
            return
        key = repr(sorted(token.items())) if isinstance(token, dict) else repr(token)
        if key in self._seen:
            raise EndlessPagination(
                operation=self.operation, reason=f"a next-page token came back after {self.pages} pages"
            )
        if self.pages >= self.max_pages:
            raise EndlessPagination(operation=self.operation, reason=f"more than {self.max_pages} pages")
        self._seen.add(key)


def paginate(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
    """Every item under `key` across the pages of `operation`, through at most MAX_PAGES pages."""
    pages = client.get_paginator(operation).paginate(**kwargs)
    bound = PageBound(client.meta.method_to_api_mapping.get(operation, operation))
    for page in pages:
        # botocore's own reading of the page's next-page token (input token -> value).
        bound.next(pages._get_next_token(page))
        yield from page.get(key) or []
