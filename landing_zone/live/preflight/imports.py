"""What the stack adopts or creates in Organizations, against what exists: each imported
account, OU and policy exists and is what the config says; nothing the stack creates exists
already under the same natural key (CreateAccount, CreateOrganizationalUnit and CreatePolicy
would refuse a duplicate). Everything here reads the organization read once, no more calls."""

from __future__ import annotations

from .model import Check, Preflight, Prerequisite, blocked, ready


def accounts(preflight: Preflight) -> list[Prerequisite]:
    config, live = preflight.config, preflight.live
    by_email = {account.email.lower(): account for account in live.accounts}
    results = []
    for index, account in enumerate(config.accounts):
        if account.state == "closed":
            continue  # a record: nothing is created or imported for it
        key = f"accounts[{index}]"
        email = config.email_for(account)
        subject = f"account '{account.name}'"
        if account.import_id is None:
            existing = by_email.get(email.lower())
            if existing is not None:
                results.append(
                    blocked(
                        "imports.accounts",
                        subject,
                        f"root email {email} is already account {existing.id} ({existing.name}); "
                        "CreateAccount would fail",
                        f"set {key}.import: '{existing.id}'",
                    )
                )
            continue
        found = preflight.accounts_by_id.get(account.import_id)
        if found is None:
            results.append(
                blocked(
                    "imports.accounts",
                    subject,
                    f"{account.import_id} is not in organization {live.id}",
                    f"invite {account.import_id} to the organization, or remove {key}.import",
                )
            )
        elif not found.active:
            results.append(
                blocked(
                    "imports.accounts",
                    subject,
                    f"{account.import_id} is {found.status}",
                    f"remove {key} (a closed account cannot be managed)",
                )
            )
        elif found.email.lower() != email.lower():
            results.append(
                blocked(
                    "imports.accounts",
                    subject,
                    f"{account.import_id}'s root email is {found.email}; the stack says {email}",
                    f"set {key}.email: {found.email}",
                )
            )
        elif (found.ou_path or None) != account.ou:
            where = found.ou_path or "the root"
            results.append(
                ready(
                    "imports.accounts",
                    subject,
                    f"{account.import_id} is in {where}; pulumi up moves it to {account.ou or 'the root'}",
                )
            )
        else:
            results.append(ready("imports.accounts", subject, f"{account.import_id}, {found.email}"))
    return results


def organizational_units(preflight: Preflight) -> list[Prerequisite]:
    config, live = preflight.config, preflight.live
    by_id = {unit.id: unit for unit in live.organizational_units}
    by_path = {unit.path: unit for unit in live.organizational_units}
    results = []
    for index, unit in enumerate(config.organizational_units):
        key = f"organizationalUnits[{index}]"
        subject = f"OU '{unit.path}'"
        if unit.import_id is None:
            existing = by_path.get(unit.path)
            if existing is not None:
                results.append(
                    blocked(
                        "imports.organizational-units",
                        subject,
                        f"already exists as {existing.id}; CreateOrganizationalUnit would fail",
                        f"set {key}.import: {existing.id}",
                    )
                )
            continue
        found = by_id.get(unit.import_id)
        if found is None:
            results.append(
                blocked(
                    "imports.organizational-units",
                    subject,
                    f"{unit.import_id} is not in organization {live.id}",
                    f"remove {key}.import",
                )
            )
        elif found.path != unit.path:
            results.append(
                blocked(
                    "imports.organizational-units",
                    subject,
                    f"{unit.import_id} is at '{found.path}' (another parent replaces the OU)",
                    f"set {key}.path to '{found.path}', or import the OU at '{unit.path}'",
                )
            )
        else:
            results.append(ready("imports.organizational-units", subject, unit.import_id))
    return results


def policies(preflight: Preflight) -> list[Prerequisite]:
    config, live = preflight.config, preflight.live
    by_id = {policy.id: policy for policy in live.policies}
    by_name = {policy.name: policy for policy in live.policies}
    results = []
    for index, entry in enumerate(config.guardrails):
        key = f"guardrails[{index}]"
        subject = f"policy '{entry.policy_name}'"
        adopted = entry.import_
        if adopted is None:
            existing = by_name.get(entry.policy_name)
            if existing is not None and existing.type == entry.policy_type:
                results.append(
                    blocked(
                        "imports.policies",
                        subject,
                        f"already exists as {existing.id}; CreatePolicy would fail",
                        f"set {key}.import: {{policy: {existing.id}, "
                        f"attachments: [{', '.join(existing.targets)}]}}",
                    )
                )
            elif existing is not None:
                # Importing a policy of another type would replace it (the type cannot change).
                results.append(
                    blocked(
                        "imports.policies",
                        subject,
                        f"the name is taken by {existing.id}, a {existing.type}; this entry is a "
                        f"{entry.policy_type}",
                        f"set {key}.name to another name",
                    )
                )
            continue
        found = by_id.get(adopted.policy)
        if found is None:
            results.append(
                blocked(
                    "imports.policies", subject, f"{adopted.policy} does not exist", f"remove {key}.import"
                )
            )
            continue
        if found.type != entry.policy_type:
            results.append(
                blocked(
                    "imports.policies",
                    subject,
                    f"{adopted.policy} is a {found.type}; this entry is a {entry.policy_type}, and "
                    "importing it as one would replace it",
                    f"set {key}.type: {found.type}, or import another policy",
                )
            )
            continue
        missing = [target for target in adopted.attachments if target not in found.targets]
        if missing:
            results.append(
                blocked(
                    "imports.policies",
                    subject,
                    f"{adopted.policy} is not attached to {', '.join(missing)}",
                    f"remove {', '.join(missing)} from {key}.import.attachments",
                )
            )
            continue
        results.append(ready("imports.policies", subject, adopted.policy))
    return results


CHECKS = (
    Check("imports.accounts", accounts, "accounts"),
    Check("imports.organizational-units", organizational_units, "organizational units"),
    Check("imports.policies", policies, "policies"),
)
