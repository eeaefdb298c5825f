"""Account settings beside the accounts themselves: the primary contact, opt-in regions and
centralized root access management.

Primary contact fields follow botocore's model of `account:PutContactInformation`
(botocore/data/account/2021-02-01/service-2.json, shape ContactInformation): the required
fields, the lengths, the phone pattern `[+][\\s0-9()-]+` of at most 20 characters, and the
countries where StateOrRegion is required.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from .base import ConfigModel, Matching, Region
from .checker import Checker
from .region_opt_in import is_opt_in_region


def _text(low: int, high: int) -> Matching:
    # AWS's model has lengths only; control characters are refused too: an address line never
    # holds a newline, and the value is shown back in plans and audits.
    return Matching(
        rf"[^\x00-\x1f\x7f-\x9f]{{{low},{high}}}", f"{low} to {high} characters, no control characters"
    )


COUNTRY_CODE = Matching(r"[A-Z]{2}", "an ISO 3166 two-letter country code in capitals, like GB")
PRIMARY_PHONE = Matching(
    r"\+[\s0-9()-]{1,19}", "a phone number of at most 20 characters starting with '+', like +44 20 7946 0000"
)
# ContactInformation.StateOrRegion: "required in the following countries: US, CA, GB, DE, JP, IN, and BR".
STATE_REQUIRED_COUNTRIES = ("US", "CA", "GB", "DE", "JP", "IN", "BR")
# The config's names of ContactInformation's required members.
PRIMARY_REQUIRED = ("full_name", "address_line1", "city", "postal_code", "country_code", "phone")

TEXT_50 = _text(1, 50)
ADDRESS_LINE = _text(1, 60)
POSTAL_CODE = _text(1, 20)
WEBSITE_URL = _text(1, 256)
Text50 = Annotated[str, TEXT_50]  # FullName, CompanyName, City, StateOrRegion, DistrictOrCounty
AddressLine = Annotated[str, ADDRESS_LINE]
PostalCode = Annotated[str, POSTAL_CODE]
WebsiteUrl = Annotated[str, WEBSITE_URL]
CountryCode = Annotated[str, COUNTRY_CODE]
PrimaryPhone = Annotated[str, PRIMARY_PHONE]


class PrimaryContactConfig(ConfigModel):
    """An account's primary contact (its mailing address), or the changes an account makes to the
    organization's: every field optional here, the required ones checked once resolved."""

    full_name: Text50 | None = None
    company_name: Text50 | None = None
    address_line1: AddressLine | None = None
    address_line2: AddressLine | None = None
    address_line3: AddressLine | None = None
    city: Text50 | None = None
    state_or_region: Text50 | None = None
    district_or_county: Text50 | None = None
    postal_code: PostalCode | None = None
    country_code: CountryCode | None = None
    phone: PrimaryPhone | None = None
    website_url: WebsiteUrl | None = None


@dataclass(frozen=True)
class ResolvedPrimaryContact:
    """A primary contact as AWS gets it: the organization's fields with an account's on top."""

    full_name: str
    address_line1: str
    city: str
    postal_code: str
    country_code: str
    phone: str
    company_name: str | None = None
    address_line2: str | None = None
    address_line3: str | None = None
    state_or_region: str | None = None
    district_or_county: str | None = None
    website_url: str | None = None


def merged_primary_contact(*layers: PrimaryContactConfig | None) -> dict[str, str]:
    """The set fields of each layer, later layers winning."""
    fields: dict[str, str] = {}
    for layer in layers:
        if layer is not None:
            fields.update(layer.model_dump(exclude_none=True))
    return fields


def resolve_primary_contact(*layers: PrimaryContactConfig | None) -> ResolvedPrimaryContact | None:
    """None when no layer sets a primary contact, or when a required field is missing (reported
    by `check_primary_contact`)."""
    fields = merged_primary_contact(*layers)
    if not fields or primary_contact_problems(fields):
        return None
    return ResolvedPrimaryContact(**fields)


# Each field's rule, by the config's field name: what the mock runtime checks the provider's inputs against.
PRIMARY_FIELD_RULES: dict[str, Matching] = {
    "full_name": TEXT_50,
    "company_name": TEXT_50,
    "address_line1": ADDRESS_LINE,
    "address_line2": ADDRESS_LINE,
    "address_line3": ADDRESS_LINE,
    "city": TEXT_50,
    "state_or_region": TEXT_50,
    "district_or_county": TEXT_50,
    "postal_code": POSTAL_CODE,
    "country_code": COUNTRY_CODE,
    "phone": PRIMARY_PHONE,
    "website_url": WEBSITE_URL,
}


def primary_contact_field_problems(
    fields: Mapping[str, Any], spelled: Callable[[str], str] | None = None
) -> list[str]:
    """Every rule a primary contact's set fields break, then what is missing."""
    problems = [
        f"{(spelled or _camel)(name)} is not {rule.words}"
        for name, rule in PRIMARY_FIELD_RULES.items()
        if name in fields and not rule.matches(fields[name])
    ]
    return problems + primary_contact_problems(fields, spelled)


def primary_contact_problems(
    fields: Mapping[str, Any], spelled: Callable[[str], str] | None = None
) -> list[str]:
    """What AWS would refuse in a merged primary contact; `spelled` names a field (the config's
    camelCase by default)."""
    missing = [(spelled or _camel)(name) for name in PRIMARY_REQUIRED if name not in fields]
    problems = [f"{', '.join(missing)} missing: AWS requires them"] if missing else []
    country = fields.get("country_code")
    if country in STATE_REQUIRED_COUNTRIES and "state_or_region" not in fields:
        problems.append(f"stateOrRegion missing: AWS requires it for an address in {country}")
    return problems


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


# IAM's organization features (ListOrganizationsFeatures' EnabledFeatures; the provider's enabledFeatures).
ROOT_CREDENTIALS_MANAGEMENT = "RootCredentialsManagement"
ROOT_SESSIONS = "RootSessions"
ROOT_ACCESS_FEATURES = (ROOT_CREDENTIALS_MANAGEMENT, ROOT_SESSIONS)


class RootAccessManagementConfig(ConfigModel):
    """IAM's centralized root access for member accounts (`aws.iam.OrganizationsFeatures`)."""

    # Member accounts without root password, access keys or MFA; the management account can
    # delete and recover them (`RootCredentialsManagement`).
    credentials_management: bool = True
    # Privileged root tasks run from the management account through sts:AssumeRoot (`RootSessions`).
    root_sessions: bool = True

    @property
    def features(self) -> tuple[str, ...]:
        """The feature names IAM's EnableOrganizationsRoot* calls (and the provider) use."""
        names = (
            (ROOT_CREDENTIALS_MANAGEMENT, self.credentials_management),
            (ROOT_SESSIONS, self.root_sessions),
        )
        return tuple(name for name, on in names if on)


# Opt-in regions an account has enabled (true) or disabled (false); absent: left as they are.
OptInRegions = dict[Region, bool]


def merged_opt_in_regions(*layers: Mapping[str, bool] | None) -> dict[str, bool]:
    merged: dict[str, bool] = {}
    for layer in layers:
        merged.update(layer or {})
    return dict(sorted(merged.items()))


def check_primary_contact(
    checker: Checker, parts: tuple[Any, ...], *layers: PrimaryContactConfig | None, origin: str = ""
) -> None:
    """Report what AWS would refuse in the resolved contact, at the most specific layer's key."""
    fields = merged_primary_contact(*layers)
    if fields:
        for problem in primary_contact_problems(fields):
            checker.report(parts, problem + origin)


def check_opt_in_regions(
    checker: Checker, parts: tuple[Any, ...], regions: Mapping[str, bool] | None
) -> None:
    for region in regions or {}:
        if not is_opt_in_region(region):
            checker.report(
                (*parts, region),
                f"{region} is enabled by default in every account and cannot be enabled or disabled "
                "(only opt-in regions can)",
            )
