"""Bearer-token authentication for the write endpoints.

Reads are open; every write (``POST``, ``PUT``, ``PATCH``, ``DELETE`` under ``/api/``) needs
``Authorization: Bearer <token>``. The token comes from ``$SPILLWATCH_TOKEN``; when it is unset,
``spillwatch serve`` generates one (:func:`generate_token`) and prints it once on start.

A generated token is kept in ``token`` in the user's config folder (file mode 0600), so it is
printed on the first start only and stays the same across restarts; delete the file to rotate it.

Tokens are compared in constant time (:func:`hmac.compare_digest`) so that response timing does not
reveal how many leading characters matched.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from spillwatch.config import settings

TOKEN_ENV = "SPILLWATCH_TOKEN"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MIN_TOKEN_CHARS = 16


def generate_token() -> str:
    """Return a new random token (32 bytes of :mod:`secrets` randomness, URL-safe base64)."""
    return secrets.token_urlsafe(32)


def resolve_token(token: str | None = None) -> tuple[str, bool]:
    """Return the token to enforce and whether it was generated here.

    Parameters
    ----------
    token : str, optional
        An explicit token; otherwise ``$SPILLWATCH_TOKEN``; otherwise a new one.

    Raises
    ------
    ConfigError
        The token is shorter than 16 characters (too easy to guess).
    """
    from spillwatch.exceptions import ConfigError

    given = token if token is not None else settings().token or None
    if given is None:
        return generate_token(), True
    if len(given) < MIN_TOKEN_CHARS:
        raise ConfigError(f"{TOKEN_ENV} must be at least {MIN_TOKEN_CHARS} characters, got "
                          f"{len(given)}; unset it to have one generated, or use a longer one")
    return given, False


def bearer_from_header(value: str | None) -> str | None:
    """Return the token of an ``Authorization: Bearer <token>`` header value, else ``None``."""
    if not value:
        return None
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def token_matches(presented: str | None, expected: str) -> bool:
    """Constant-time comparison of a presented token with the expected one."""
    if presented is None:
        return False
    return hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))


def token_file() -> Path:
    """Where a generated token is kept (``$SPILLWATCH_TOKEN_FILE`` or the user config folder)."""
    env = settings().token_file
    if env is not None:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("spillwatch")) / "token"


def load_or_create_token(path: Path | None = None) -> tuple[str, str]:
    """Return the server's token and where it came from.

    ``$SPILLWATCH_TOKEN`` wins; else the token kept in ``path`` (default :func:`token_file`);
    else a new token is generated and written there with mode 0600.

    Returns
    -------
    (token, origin) : tuple of str
        ``origin`` is ``"env"``, ``"file"`` or ``"created"``.
    """
    env = settings().token
    if env:
        return resolve_token(env)[0], "env"
    target = path or token_file()
    if target.exists():
        kept = target.read_text(encoding="utf-8").strip()
        if kept:
            return resolve_token(kept)[0], "file"
    token = generate_token()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    return token, "created"
