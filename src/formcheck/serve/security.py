"""Passwords (argon2), CSRF tokens, patient link tokens, response headers."""

from __future__ import annotations

import hmac
import ipaddress
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

# Every asset is served by the app itself; nothing may be fetched from elsewhere.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; frame-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the patient link holds a secret: keep it out of Referer
    "X-Frame-Options": "SAMEORIGIN",
    "Cache-Control": "no-store",
}
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A patient link secret: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def new_csrf() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, tls: bool, behind_proxy: bool) -> str | None:
    """The warning for a non-loopback bind served as plain HTTP, else None."""
    if is_loopback(host) or tls or behind_proxy:
        return None
    return (
        f"warning: serving on {host} without TLS: passwords, patient links and video travel "
        "unencrypted. Use --certfile/--keyfile, or put it behind an HTTPS reverse proxy "
        "(--behind-proxy)."
    )
