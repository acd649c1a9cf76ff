"""SIDs, key secrets and request ids: random, or seeded so a deterministic sandbox repeats itself.

Seeded SIDs come from per-prefix counters kept in the state file (inside the creating transaction), so
two processes — or two runs on the same file — never hand out the same SID.
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
import sqlite3
import string

from twibench.sandbox.store import next_counter

_ALPHANUMERIC = string.ascii_letters + string.digits


def _digest(*parts: object) -> str:
    return hashlib.sha256("/".join(str(p) for p in ("twibench-sandbox", *parts)).encode()).hexdigest()


class SidFactory:
    """Makes identifiers in the form Twilio uses: a two-letter prefix and 32 lowercase hex digits."""

    def __init__(self, *, deterministic: bool) -> None:
        self.deterministic = deterministic
        self._requests = itertools.count(1)
        self._unsaved = itertools.count(1)

    def new(self, conn: sqlite3.Connection | None, prefix: str) -> str:
        """A fresh SID (`SM…`, `SK…`).

        Args:
            conn: the write transaction's connection for a record that will be stored (seeded SIDs count
                in the state file); None for one that never is (test-credential messages), whose seeded
                SIDs count in memory instead.
            prefix: the two-letter resource prefix.
        """
        if not self.deterministic:
            return prefix + secrets.token_hex(16)
        if conn is None:
            return prefix + _digest("unsaved", prefix, next(self._unsaved))[:32]
        return prefix + _digest(prefix, next_counter(conn, f"sid:{prefix}"))[:32]

    def secret(self, sid: str) -> str:
        """A key secret: 32 letters and digits, like Twilio's (seeded from the key's SID if deterministic)."""
        if self.deterministic:
            digest = bytes.fromhex(_digest("secret", sid))
            return "".join(_ALPHANUMERIC[b % len(_ALPHANUMERIC)] for b in digest)
        return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(32))

    def token(self, sid: str) -> str:
        """A subaccount's Auth Token: 32 hex digits (seeded from its SID if deterministic)."""
        if self.deterministic:
            return _digest("token", sid)[:32]
        return secrets.token_hex(16)

    def request_id(self) -> str:
        """A `Twilio-Request-Id` value: `RQ` + 32 hex digits."""
        if self.deterministic:
            return "RQ" + _digest("request", next(self._requests))[:32]
        return "RQ" + secrets.token_hex(16)


def secret_hash(secret: str) -> str:
    """What the state file keeps of a key secret (never the secret itself)."""
    return hashlib.sha256(secret.encode()).hexdigest()
