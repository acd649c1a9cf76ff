"""HTTP basic authentication as Twilio does it: Account SID + Auth Token, or API key SID + secret.

The fixed sandbox credentials are compared in memory; API keys are looked up in the state file on every
request, so a key created or deleted by another process works (or stops working) at once.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import sqlite3

from twibench.sandbox import credentials as cred
from twibench.sandbox.call import Principal
from twibench.sandbox.errors import unauthorized
from twibench.sandbox.sids import secret_hash


def authenticate(header: str | None, conn: sqlite3.Connection) -> Principal:
    """Who the `Authorization` header names.

    Raises:
        ApiError: 401/20003 for missing, malformed or wrong credentials.
    """
    if not header:
        raise unauthorized()
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic":
        raise unauthorized()
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise unauthorized() from None
    user, sep, password = decoded.partition(":")
    if not sep:
        raise unauthorized()
    if user == cred.ACCOUNT_SID and _same(password, cred.AUTH_TOKEN):
        return Principal(cred.ACCOUNT_SID, "auth_token")
    if user == cred.TEST_ACCOUNT_SID and _same(password, cred.TEST_AUTH_TOKEN):
        return Principal(cred.TEST_ACCOUNT_SID, "test")
    if user.startswith("AC") and len(user) == 34:
        row = conn.execute("SELECT auth_token FROM accounts WHERE sid = ?", (user,)).fetchone()
        if row is not None and _same(password, row["auth_token"]):
            return Principal(user, "auth_token")  # a subaccount, with its own token
    if user.startswith("SK") and len(user) == 34:
        row = conn.execute("SELECT account_sid, secret_hash FROM keys WHERE sid = ?", (user,)).fetchone()
        if row is not None and _same(secret_hash(password), row["secret_hash"]):
            return Principal(row["account_sid"], "api_key", key_sid=user)
    raise unauthorized()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
