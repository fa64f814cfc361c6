"""Credentials for ``sessiontui serve``: secret tokens, hashed passwords, and who they stand for.

Nothing here trusts the page: a credential names the person and the role, and every tab runs
as exactly that. Secrets are kept only as hashes (scrypt), compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

TOKEN_BYTES = 32
# scrypt's interactive-login cost: ~50 ms and 16 MiB per check, once per login, never per request.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_SCHEME = "scrypt"


class UsersFileError(ValueError):
    """A ``--users`` file that cannot be used; the message is ``file:line: why``."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a credential stands for: a name and a role (None: every right, the server's owner)."""

    name: str
    role: str | None
    read_only: bool = False


def hash_secret(secret: str, *, salt: bytes | None = None) -> str:
    """``scrypt$SALT$HASH`` (base64) of a password or token, as a ``--users`` file stores it."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return "$".join((_SCHEME, _b64(salt), _b64(digest)))


def check_secret(secret: str, stored: str) -> bool:
    """Whether ``secret`` matches a ``hash_secret`` result (constant time; False if malformed)."""
    scheme, _, rest = stored.partition("$")
    salt_text, _, digest_text = rest.partition("$")
    if scheme != _SCHEME or not salt_text or not digest_text:
        return False
    try:
        salt = base64.urlsafe_b64decode(salt_text + "==")
        expected = base64.urlsafe_b64decode(digest_text + "==")
    except ValueError:
        return False
    actual = hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return hmac.compare_digest(actual, expected)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def new_token() -> str:
    """A fresh secret for a URL (256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def _fingerprint(token: str) -> bytes:
    # Tokens are long random strings: a plain SHA-256 is enough to keep them only as hashes.
    return hashlib.sha256(token.encode("utf-8")).digest()


@dataclass(slots=True)
class Credentials:
    """Who may come in: tokens (kept as SHA-256) and passwords (kept as scrypt), each bound to
    one identity, and the browser sessions that a successful login opened."""

    tokens: dict[bytes, Identity] = field(default_factory=dict)
    passwords: dict[str, tuple[str, Identity]] = field(default_factory=dict)
    sessions: dict[bytes, Identity] = field(default_factory=dict)

    def add_token(self, identity: Identity) -> str:
        """A new token for ``identity``; the only time it exists in clear is this return value."""
        token = new_token()
        self.tokens[_fingerprint(token)] = identity
        return token

    def by_token(self, token: str) -> Identity | None:
        """The identity a token stands for (None: no such token)."""
        wanted = _fingerprint(token)
        found = None
        for known, identity in self.tokens.items():
            if hmac.compare_digest(known, wanted):
                found = identity
        return found

    def by_password(self, name: str, password: str) -> Identity | None:
        """The identity a name and password stand for (None: wrong or unknown)."""
        entry = self.passwords.get(name)
        if entry is None:
            # As slow as a real check, so a name's existence does not show in the timing.
            check_secret(password, hash_secret("", salt=b"\0" * 16))
            return None
        return entry[1] if check_secret(password, entry[0]) else None

    def open_session(self, identity: Identity) -> str:
        """A browser session (the cookie's value) for someone who just proved who they are."""
        cookie = new_token()
        self.sessions[_fingerprint(cookie)] = identity
        return cookie

    def by_session(self, cookie: str) -> Identity | None:
        """The identity of a browser session cookie (None: unknown or ended)."""
        return self.sessions.get(_fingerprint(cookie))


def read_users(path: Path, roles: tuple[str, ...]) -> list[tuple[str, str, str | None]]:
    """``--users FILE``: lines ``NAME ROLE`` or ``NAME ROLE scrypt$...`` (a stored password hash).

    The role is the word before the hash (or the last word); ``#`` starts a comment.

    Raises:
        UsersFileError: unreadable file or a bad line (file:line: why).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsersFileError(
            f"--users {path}: cannot read it: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    users: list[tuple[str, str, str | None]] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        rest, _, last = line.rpartition(" ")
        stored: str | None = None
        if last.startswith(f"{_SCHEME}$"):
            stored = last
            rest, _, last = rest.strip().rpartition(" ")
        name, role = rest.strip(), last
        if not name or role not in roles:
            raise UsersFileError(
                f"{path}:{number}: expected 'NAME ROLE' or 'NAME ROLE scrypt$...' with ROLE one "
                f"of {', '.join(roles)}"
            )
        if name in seen:
            raise UsersFileError(f"{path}:{number}: {name!r} is listed twice")
        seen.add(name)
        users.append((name, role, stored))
    return users


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, lower-cased, default ports left out."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return f"{scheme}://{host_of(parts.netloc, scheme)}"


def host_of(netloc: str, scheme: str) -> str:
    """A ``Host`` value normalised: lower-case, the scheme's default port dropped."""
    host = netloc.rpartition("@")[2].lower()
    for default in (":80",) if scheme in ("http", "ws") else (":443",):
        if host.endswith(default):
            host = host[: -len(default)]
    return host


@dataclass(frozen=True, slots=True)
class Addresses:
    """The hosts and origins a browser may use to reach this server (nothing else: no DNS
    rebinding, no other web page driving it)."""

    hosts: frozenset[str]
    origins: frozenset[str]

    @classmethod
    def served(cls, host: str, port: int, *, tls: bool, public_url: str | None) -> Addresses:
        """The addresses of ``host:port`` (with its loopback names) and ``--public-url``."""
        scheme = "https" if tls else "http"
        names = {host}
        if host in ("127.0.0.1", "localhost", "::1"):
            names |= {"127.0.0.1", "localhost", "[::1]"}
        if ":" in host and not host.startswith("["):
            names = {
                f"[{name}]" if ":" in name and not name.startswith("[") else name for name in names
            }
        hosts = {host_of(f"{name}:{port}", scheme) for name in names}
        origins = {f"{scheme}://{entry}" for entry in hosts}
        if public_url:
            public = urlsplit(public_url)
            hosts.add(host_of(public.netloc, public.scheme.lower()))
            origins.add(origin_of(public_url))
        return cls(frozenset(hosts), frozenset(origins))

    def host_allowed(self, host: str | None, scheme: str) -> bool:
        """Whether a request's ``Host`` header names this server."""
        return host is not None and host_of(host, scheme) in self.hosts

    def origin_allowed(self, origin: str | None) -> bool:
        """Whether a request's ``Origin`` is this server's own page."""
        return origin is not None and origin_of(origin) in self.origins
