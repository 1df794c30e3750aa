"""Passwords: hashed with Argon2id (argon2-cffi), checked against a minimal policy.

The hash string carries its own salt and parameters (``$argon2id$v=19$m=65536,t=3,p=4$...``),
so it is all the user store keeps; a password is never stored or logged.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

#: Argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile: 64 MiB, 3 passes).
_HASHER = PasswordHasher()

#: The shortest password accepted.
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    """Hash `password` with Argon2id (a new random salt each time)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether `password` matches `stored_hash`; False for a damaged hash too.

    >>> h = hash_password("correct horse battery")
    >>> verify_password(h, "correct horse battery"), verify_password(h, "wrong")
    (True, False)
    """
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether `stored_hash` used weaker parameters than today's (rehash at sign-in)."""
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def password_problem(password: str, name: str) -> str | None:
    """Why `password` is not acceptable for user `name`, or None when it is.

    >>> password_problem("short", "zhang")
    'the password has 5 characters; it needs at least 10'
    >>> password_problem("zhangzhang1", "zhang") is None
    True
    """
    if len(password) < MIN_LENGTH:
        return f"the password has {len(password)} characters; it needs at least {MIN_LENGTH}"
    if password.strip().lower() == name.strip().lower():
        return "the password may not be the user's name"
    if len(set(password)) < 4:
        return "the password needs at least 4 different characters"
    return None
