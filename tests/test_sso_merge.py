"""`lz sso-config --write`: the managed block merged into awkward existing config files."""

from __future__ import annotations

import json
import os
import stat

import botocore.session
import pytest

from landing_zone.sso import merge as merge_module
from landing_zone.sso.merge import END, merge
from tests.helpers import run_lz, sso_config_args

SECTIONS = "[sso-session acme]\nsso_start_url = https://acme.awsapps.com/start\nsso_region = eu-west-1\n"

AWKWARD = (
    b"# My AWS config. Do not lose these comments!\n"
    b"[default]\n"
    b"region = us-east-1\n"
    b"output = json\n"
    b"\n"
    b"; another client, maintained by hand\n"
    b"[sso-session globex]\n"
    b"sso_start_url = https://globex.awsapps.com/start\n"
    b"sso_region = us-east-2\n"
    b"\n"
    b"[profile globex-dev]\n"
    b"sso_session = globex\n"
    b"sso_account_id = 999999999999\n"
    b"sso_role_name = Developer\n"
    b"   # an indented comment, caf\xc3\xa9\n"
    b"[profile legacy]\n"
    b"role_arn = arn:aws:iam::111111111111:role/Admin\n"
    b"source_profile = default"  # no newline at the end
)


def write(capsys, path, outputs, *extra):
    # The outputs are lz plan's (prod_outputs): made-up ids, which --write takes only when told.
    argv = sso_config_args(outputs, "Platform", "--write", str(path), "--allow-mock-ids", *extra)
    return run_lz(capsys, *argv)


def backups(path):
    return sorted(p for p in path.parent.iterdir() if p.name.startswith(path.name + ".lz-backup-"))


def profiles_of(path, monkeypatch):
    monkeypatch.setenv("AWS_CONFIG_FILE", str(path))
    return botocore.session.Session().full_config


def test_awkward_file_is_kept_byte_for_byte_and_botocore_reads_both(
    capsys, tmp_path, prod_outputs, aws_home, monkeypatch
):
    path = tmp_path / "config"
    path.write_bytes(AWKWARD)
    code, out, err = write(capsys, path, prod_outputs)
    assert (code, err) == (0, "")
    (backup,) = backups(path)
    assert out == f"{path}: wrote 12 profiles under sso-session acme; previous file kept as {backup}\n"
    assert backup.read_bytes() == AWKWARD
    new = path.read_bytes()
    # Everything of the user's stays, then a finished line, a blank line, and our block.
    assert new.startswith(AWKWARD + b"\n\n# BEGIN lz sso-config managed block: sso-session acme\n")
    assert new.endswith(b"# END lz sso-config managed block: sso-session acme\n")

    config = profiles_of(path, monkeypatch)
    assert set(config["sso_sessions"]) == {"globex", "acme"}
    assert config["profiles"]["legacy"]["source_profile"] == "default"
    assert config["profiles"]["globex-dev"]["sso_account_id"] == "999999999999"
    assert config["profiles"]["acme-dev"]["sso_session"] == "acme"

    # Idempotent: a second run changes nothing, not even the file's timestamp, and backs nothing up.
    before = path.stat().st_mtime_ns
    code, out, _ = write(capsys, path, prod_outputs)
    assert code == 0
    assert out == f"{path}: already up to date (12 profiles, sso-session acme)\n"
    assert path.read_bytes() == new and path.stat().st_mtime_ns == before
    assert len(backups(path)) == 1


def test_block_between_user_content_is_replaced_in_place(
    capsys, tmp_path, prod_outputs, aws_home, monkeypatch
):
    path = tmp_path / "config"
    path.write_bytes(b"[profile before]\nregion = eu-west-1\n")
    assert write(capsys, path, prod_outputs)[0] == 0
    after = b"\n[profile after]\nregion = us-west-2\n"
    path.write_bytes(path.read_bytes() + after)
    first = path.read_bytes()
    head = first[: first.index(b"# BEGIN")]

    assert write(capsys, path, prod_outputs, "--region", "eu-central-1")[0] == 0
    second = path.read_bytes()
    assert second.startswith(head) and second.endswith(END.format(name="acme").encode() + b"\n" + after)
    assert second.count(b"# BEGIN lz sso-config") == 1
    profiles = profiles_of(path, monkeypatch)["profiles"]
    assert profiles["acme-dev"]["region"] == "eu-central-1"
    assert profiles["before"] == {"region": "eu-west-1"} and profiles["after"] == {"region": "us-west-2"}


def test_same_named_profile_outside_the_block_is_refused(capsys, tmp_path, prod_outputs):
    path = tmp_path / "config"
    content = b"[default]\nregion = eu-west-1\n\n[profile acme-dev]\nregion = us-east-1\n"
    path.write_bytes(content)
    code, out, err = write(capsys, path, prod_outputs)
    assert (code, out) == (2, "")
    assert err == (
        f"lz sso-config: --write: {path}: line 4: [profile acme-dev] is also defined outside the managed block; "
        "rename or remove it (lz sso-config never edits outside its block); nothing written\n"
    )
    assert path.read_bytes() == content and not backups(path)


def test_same_named_sso_session_outside_the_block_is_refused(capsys, tmp_path, prod_outputs):
    path = tmp_path / "config"
    path.write_text("[sso-session  acme ]\nsso_region = us-east-1\n")
    code, _, err = write(capsys, path, prod_outputs)
    assert code == 2
    assert "line 1: [sso-session acme] is also defined outside the managed block" in err


def test_broken_block_is_refused(capsys, tmp_path, prod_outputs):
    path = tmp_path / "config"
    path.write_text("[default]\n# BEGIN lz sso-config managed block: sso-session acme\n[profile x]\n")
    code, _, err = write(capsys, path, prod_outputs)
    assert code == 2
    assert err == (
        f"lz sso-config: --write: {path}: the managed block of sso-session acme is broken (marker lines 2): "
        "fix or remove it by hand; nothing written\n"
    )


def test_missing_file_and_directory_are_created_private(capsys, tmp_path, prod_outputs, monkeypatch):
    path = tmp_path / "home" / ".aws" / "config"
    code, out, _ = write(capsys, path, prod_outputs)
    assert code == 0
    assert out == f"{path}: wrote 12 profiles under sso-session acme\n"
    assert path.read_text().startswith("# BEGIN lz sso-config managed block: sso-session acme\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert len(profiles_of(path, monkeypatch)["profiles"]) == 12
    assert os.listdir(path.parent) == ["config"]


def test_empty_file_gets_just_the_block(capsys, tmp_path, prod_outputs):
    path = tmp_path / "config"
    path.write_bytes(b"")
    os.chmod(path, 0o640)
    assert write(capsys, path, prod_outputs)[0] == 0
    assert path.read_text().startswith("# BEGIN lz sso-config")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # the user's choice of mode is kept
    (backup,) = backups(path)
    assert backup.read_bytes() == b""


def test_default_path_is_aws_config_file(capsys, prod_outputs, aws_home):
    code, _, _ = run_lz(capsys, *sso_config_args(prod_outputs, "Finance", "--write", "--allow-mock-ids"))
    assert code == 0
    assert "[profile acme-management-Billing]" in aws_home.read_text()


def test_symlinked_config_keeps_its_link(capsys, tmp_path, prod_outputs):
    real = tmp_path / "dotfiles" / "aws-config"
    real.parent.mkdir()
    real.write_text("[default]\nregion = eu-west-1\n")
    link = tmp_path / "config"
    link.symlink_to(real)
    assert write(capsys, link, prod_outputs)[0] == 0
    assert link.is_symlink()
    assert "[profile acme-dev]" in real.read_text()


def test_a_failed_write_leaves_the_old_file_and_no_temporary(capsys, tmp_path, prod_outputs, monkeypatch):
    path = tmp_path / "config"
    path.write_bytes(AWKWARD)

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(merge_module.os, "replace", fail)
    code, _, err = write(capsys, path, prod_outputs)
    assert code == 2
    assert err == f"lz sso-config: --write: cannot write {path}: No space left on device\n"
    assert path.read_bytes() == AWKWARD
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("config.lz-backup-")) == [
        "config"
    ]


@pytest.mark.parametrize(
    ("existing", "expected_prefix"),
    [
        ("", ""),
        ("[default]\nregion = x\n", "[default]\nregion = x\n\n"),
        ("[default]\nregion = x", "[default]\nregion = x\n\n"),
        ("[default]\nregion = x\n\n", "[default]\nregion = x\n\n"),
        ("[default]\r\nregion = x\r\n", "[default]\r\nregion = x\r\n\r\n"),
    ],
)
def test_append_separates_with_one_blank_line(existing, expected_prefix):
    merged = merge(existing, "acme", SECTIONS)
    assert merged.startswith(expected_prefix + "# BEGIN lz sso-config managed block: sso-session acme")
    newline = "\r\n" if "\r\n" in existing else "\n"
    assert merged.endswith(f"# END lz sso-config managed block: sso-session acme{newline}")
    assert merge(merged, "acme", SECTIONS) == merged


def test_bytes_that_are_not_utf_8_survive(tmp_path):
    path = tmp_path / "config"
    content = b"# caf\xe9 in Latin-1, a stray \xff\n[default]\nregion = x"
    path.write_bytes(content)
    old = merge_module.read_config(path)
    assert old is not None
    merge_module.write_atomically(path, old, merge(old, "acme", SECTIONS))
    assert path.read_bytes().startswith(content + b"\n\n# BEGIN")


def test_crlf_file_stays_crlf_and_readable(tmp_path, monkeypatch):
    path = tmp_path / "config"
    path.write_bytes(merge("[default]\r\nregion = eu-west-1\r\n", "acme", SECTIONS).encode())
    assert b"\n" not in path.read_bytes().replace(b"\r\n", b"")
    config = profiles_of(path, monkeypatch)
    assert config["sso_sessions"]["acme"]["sso_region"] == "eu-west-1"


def test_another_organizations_block_is_left_alone():
    other = merge("", "globex", SECTIONS.replace("acme", "globex"))
    both = merge(other, "acme", SECTIONS)
    assert both.startswith(other)
    updated = merge(both, "acme", SECTIONS.replace("eu-west-1", "eu-north-1"))
    assert updated.startswith(other) and "sso_region = eu-north-1" in updated


def test_outputs_file_written_by_plan_is_what_sso_config_reads(prod_outputs):
    outputs = json.loads(prod_outputs.read_text())
    assert outputs["ssoRegion"] == "eu-west-1"
    assert set(outputs["permissionSetArns"]) == {
        "AdministratorAccess",
        "Billing",
        "Developer",
        "ReadOnlyAccess",
    }
