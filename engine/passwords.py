"""The password file of an app server without an OpenID Connect provider: ``name:hash`` lines.

``policyrank user add NAME`` writes a line; the app's sign-in (``ui.auth``) checks a name and
password against the file. Hashes are scrypt (``scrypt$n$r$p$salt$key``, base64 salt and key);
PBKDF2-SHA256 lines (``pbkdf2_sha256$iterations$salt$key``), as other tools write them, are
accepted too. Comparisons are constant-time, and an unknown name costs as much as a wrong
password, so timing tells nobody which names exist.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from engine.errors import InputError
from engine.io.files import write_atomic

ENVIRONMENT = "POLICYRANK_PASSWORDS"
# scrypt's interactive-login parameters (RFC 7914 §2: N = 2^14, r = 8, p = 1): ~50 ms and 16 MiB
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
KEY_BYTES = 32
SALT_BYTES = 16
MIN_PASSWORD = 8
MAX_NAME = 100


def default_path() -> Path:
    """``POLICYRANK_PASSWORDS``, else ``passwords`` in the user's policyrank configuration folder."""
    configured = os.environ.get(ENVIRONMENT)
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_config_dir("policyrank")) / "passwords"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=2**26)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def matches(password: str, stored: str) -> bool:
    """Whether ``password`` is the one ``stored`` (a hash line's hash part) was made from."""
    try:
        scheme, *parts = stored.split("$")
        if scheme == "scrypt":
            n, r, p, salt, key = parts
            expected = base64.b64decode(key)
            actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p), len(expected))
        elif scheme == "pbkdf2_sha256":
            iterations, salt, key = parts
            expected = base64.b64decode(key)
            actual = hashlib.pbkdf2_hmac(
                "sha256", password.encode("utf-8"), base64.b64decode(salt), int(iterations), len(expected)
            )
        else:
            return False
    except ValueError:  # a malformed line never lets anyone in
        return False
    return hmac.compare_digest(actual, expected)


# a hash of nothing anyone knows: checked against for unknown names, so they cost the same time
_DECOY = hash_password(secrets.token_urlsafe(16))


def read(path: Path) -> dict[str, str]:
    """``{name: hash}`` of a password file; blank lines and ``#`` comments are skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    users: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, separator, stored = line.partition(":")
        if not separator or not name or not stored:
            raise InputError(str(path), f"line {number}", "expected NAME:HASH (made by policyrank user add)")
        users[name] = stored
    return users


def check(path: Path, name: str, password: str) -> bool:
    """Whether ``name`` signs in with ``password`` according to the file at ``path``."""
    stored = read(path).get(name)
    ok = matches(password, stored if stored is not None else _DECOY)
    return ok and stored is not None


def check_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > MAX_NAME or any(c in cleaned for c in ":#") or cleaned != name:
        raise InputError(
            "policyrank user",
            "NAME",
            f"a user name has 1 to {MAX_NAME} characters, no ':' or '#' and no surrounding spaces, "
            f"got {name!r}",
        )
    return cleaned


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError("policyrank user", "password", f"at least {MIN_PASSWORD} characters")
    return password


def _write(path: Path, users: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{name}:{stored}\n" for name, stored in users.items())
    write_atomic(path, text.encode("utf-8"))
    os.chmod(path, 0o600)  # the hashes are not secrets to shout about either


def add(path: Path, name: str, password: str) -> bool:
    """Add ``name`` with ``password``, or give it a new password; True when it was new."""
    users = read(path)
    new = check_name(name) not in users
    users[name] = hash_password(check_password(password))
    _write(path, users)
    return new


def remove(path: Path, name: str) -> None:
    users = read(path)
    if name not in users:
        raise InputError(str(path), "", f"no user {name!r} (known: {', '.join(users) or 'none'})")
    del users[name]
    _write(path, users)
