"""The password file of the app's sign-in and ``policyrank user``."""

from __future__ import annotations

import base64
import hashlib
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from engine import passwords
from engine.errors import InputError
from tests.conftest import ROOT


def test_a_password_matches_its_hash_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "passwords"
    assert passwords.add(path, "li.wei", "correct horse") is True
    assert passwords.check(path, "li.wei", "correct horse")
    assert not passwords.check(path, "li.wei", "correct horsE")
    assert not passwords.check(path, "nobody", "correct horse")
    assert passwords.add(path, "li.wei", "battery staple") is False  # a new password, same user
    assert not passwords.check(path, "li.wei", "correct horse")
    assert passwords.check(path, "li.wei", "battery staple")
    line = path.read_text(encoding="utf-8")
    assert line.startswith("li.wei:scrypt$16384$8$1$") and "battery" not in line
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_pbkdf2_lines_written_elsewhere_are_accepted(tmp_path: Path) -> None:
    salt = b"0123456789abcdef"
    key = hashlib.pbkdf2_hmac("sha256", b"s3cret-pass", salt, 1000)
    path = tmp_path / "passwords"
    path.write_text(
        f"# made by another tool\nzhang:pbkdf2_sha256$1000${base64.b64encode(salt).decode()}$"
        f"{base64.b64encode(key).decode()}\n",
        encoding="utf-8",
    )
    assert passwords.check(path, "zhang", "s3cret-pass")
    assert not passwords.check(path, "zhang", "s3cret-pasS")


def test_malformed_hashes_let_nobody_in(tmp_path: Path) -> None:
    path = tmp_path / "passwords"
    path.write_text("a:plain\nb:scrypt$1$2\nc:scrypt$x$8$1$AA==$AA==\n", encoding="utf-8")
    assert not any(passwords.check(path, name, "plain") for name in "abc")
    path.write_text("no separator\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1: expected NAME:HASH"):
        passwords.read(path)


@pytest.mark.parametrize("name", ["", "a:b", " padded", "#x", "x" * 101])
def test_bad_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="user name"):
        passwords.add(tmp_path / "passwords", name, "long enough")


def test_short_passwords_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="at least 8 characters"):
        passwords.add(tmp_path / "passwords", "li", "short")


def policyrank(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_the_user_command_adds_lists_and_removes(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "passwords"
    done = policyrank(
        "user", "add", "wang", "--password-stdin", "--file", str(path), stdin="a good password\n"
    )
    assert done.returncode == 0, done.stderr
    assert "added wang" in done.stderr
    assert passwords.check(path, "wang", "a good password")
    assert policyrank("user", "list", "--file", str(path)).stdout == "wang\n"
    done = policyrank("user", "remove", "ghost", "--file", str(path))
    assert done.returncode == 2 and "no user 'ghost' (known: wang)" in done.stderr
    assert policyrank("user", "remove", "wang", "--file", str(path)).returncode == 0
    assert passwords.read(path) == {}
    done = policyrank("user", "add", "wang", "--password-stdin", "--file", str(path), stdin="short\n")
    assert done.returncode == 2 and "at least 8 characters" in done.stderr
