"""What the developer signed in with `aws sso login --sso-session NAME` can reach, read from the
AWS access portal (the `sso` API) with the token that login cached.

The portal's answers are untrusted text: account ids and role names pass `ini_value` as
`--from-aws`'s live values do, account names become profile names through `profile_account`.
"""

from __future__ import annotations

import os
from typing import Any

from landing_zone.config.base import ACCOUNT_ID, PERMISSION_SET_NAME, REGION
from landing_zone.config.identity import START_URL
from landing_zone.sso.profiles import Reachable, SsoAccess, SsoSourceError, ini_value

# The profile our in-memory config gives the token provider: it only names the sso-session.
_PROFILE = "lz-sso-config-portal"
# The process-credential format's version: 1 is the only one (the Go SDK refuses any other:
# aws/aws-sdk-go-v2, credentials/processcreds/provider.go, "wrong version in process output").
PROCESS_VERSION = 1


class NoToken(Exception):
    """No cached token for the sso-session, or an expired one that could not be refreshed."""


class NotSsoProfile(Exception):
    """The profile is missing, or signs in some other way than through an sso-session."""


def _token_cache() -> Any:
    from botocore.utils import JSONFileCache

    # botocore fixes its default cache directory at import time; HOME is read now.
    return JSONFileCache(os.path.expanduser(os.path.join("~", ".aws", "sso", "cache")))


def session_settings(session_name: str) -> dict[str, str]:
    """The `[sso-session NAME]` block of the AWS config file, if there is one."""
    import botocore.session
    from botocore.exceptions import BotoCoreError

    try:
        config = botocore.session.Session().full_config
    except BotoCoreError as err:  # a config file botocore cannot parse: one line, not a traceback
        raise SsoSourceError(f"--from-portal: {err}") from None
    block = config.get("sso_sessions", {}).get(session_name, {})
    return {key: value for key, value in block.items() if isinstance(value, str)}


def access_token(session_name: str, start_url: str, sso_region: str) -> str:
    """The token `aws sso login --sso-session NAME` cached, through botocore's own provider
    (it reads `~/.aws/sso/cache/<sha1 of NAME>.json` and refreshes it as the AWS CLI would)."""
    import botocore.session
    from botocore.exceptions import BotoCoreError
    from botocore.tokens import SSOTokenProvider

    class _Session(botocore.session.Session):
        # The provider finds start URL and region through a profile's sso_session; the session
        # may come from the command line only, so the config it reads is ours.
        @property
        def full_config(self) -> dict[str, Any]:
            return {
                "profiles": {_PROFILE: {"sso_session": session_name}},
                "sso_sessions": {session_name: {"sso_start_url": start_url, "sso_region": sso_region}},
            }

    provider = SSOTokenProvider(_Session(), cache=_token_cache(), profile_name=_PROFILE)
    try:
        token = provider.load_token()
        if token is None:
            raise NoToken
        return str(token.get_frozen_token().token)
    except BotoCoreError:
        raise NoToken from None


def read_portal_access(client: Any, token: str, start_url: str, sso_region: str) -> SsoAccess:
    """Each (account, role) the token's user can use, as `--from-aws` would give it."""
    ini_value(start_url, START_URL, "--from-portal: the start URL")
    ini_value(sso_region, REGION, "--from-portal: the SSO region")
    reachable = set()
    for page in client.get_paginator("list_accounts").paginate(accessToken=token):
        for account in page.get("accountList", []):
            account_id = ini_value(str(account.get("accountId", "")), ACCOUNT_ID, "the portal's accountId")
            name = account.get("accountName")
            if not isinstance(name, str) or not name:
                raise SsoSourceError(f"the portal gives no accountName for account {account_id}")
            for roles in client.get_paginator("list_account_roles").paginate(
                accessToken=token, accountId=account_id
            ):
                for role in roles.get("roleList", []):
                    role_name = ini_value(
                        str(role.get("roleName", "")),
                        PERMISSION_SET_NAME,
                        f"the portal's roleName (account {account_id})",
                    )
                    reachable.add(Reachable(name, account_id, role_name))
    return SsoAccess(start_url, sso_region, tuple(sorted(reachable)))


def portal_client(sso_region: str) -> Any:
    """The `sso` (access portal) client: its calls carry the bearer token, no credentials."""
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    return boto3.Session().client("sso", region_name=sso_region, config=Config(signature_version=UNSIGNED))


def process_credentials(profile: str) -> dict[str, Any]:
    """The role credentials of the SSO profile `profile`, in the process-credential format
    (Version, AccessKeyId, SecretAccessKey, SessionToken, Expiration), fetched by botocore's
    own SSO credential provider: the token `aws sso login` cached, refreshed as the AWS CLI
    would, then `sso:GetRoleCredentials`.

    Only that provider is asked: environment keys must not stand in for the profile, and a
    `credential_process` profile (which may run this very command) is refused, not run.
    """
    import botocore.session
    from botocore.credentials import SSOProvider
    from botocore.exceptions import (
        BotoCoreError,
        InvalidConfigError,
        SSOTokenLoadError,
        TokenRetrievalError,
        UnauthorizedSSOTokenError,
    )
    from botocore.tokens import SSOTokenProvider

    session = botocore.session.Session(profile=profile)
    try:
        config = session.full_config
    except BotoCoreError as err:
        raise NotSsoProfile(str(err)) from None
    settings = config.get("profiles", {}).get(profile)
    if settings is None:
        raise NotSsoProfile(f"no profile {profile} in the AWS config")
    session_name = settings.get("sso_session")
    if not session_name:
        raise NotSsoProfile(f"profile {profile} has no sso_session: it is not a profile lz sso-config writes")
    cache = _token_cache()
    # The fetched credentials land here: the only place their expiry time is public.
    fetched: dict[str, Any] = {}
    provider = SSOProvider(
        load_config=lambda: session.full_config,
        client_creator=session.create_client,
        profile_name=profile,
        cache=fetched,
        token_cache=cache,
        token_provider=SSOTokenProvider(session, cache=cache, profile_name=profile),
    )
    try:
        credentials = provider.load()
        if credentials is None:
            raise NotSsoProfile(f"profile {profile} has no sso_account_id and sso_role_name")
        credentials.get_frozen_credentials()
    except InvalidConfigError as err:
        raise NotSsoProfile(str(err)) from None
    except (SSOTokenLoadError, TokenRetrievalError, UnauthorizedSSOTokenError):
        raise NoToken(session_name) from None
    (response,) = fetched.values()
    values = response["Credentials"]
    return {
        "Version": PROCESS_VERSION,
        "AccessKeyId": values["AccessKeyId"],
        "SecretAccessKey": values["SecretAccessKey"],
        "SessionToken": values["SessionToken"],
        "Expiration": values["Expiration"],
    }
