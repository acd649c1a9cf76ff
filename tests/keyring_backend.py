"""A file-backed keyring backend for the tests: the suite never reads or writes the user's keyring.

`tests/conftest.py` installs one per test (`keyring.set_keyring`) over a JSON file in the test's
temporary folder, and points `PYTHON_KEYRING_BACKEND` at keyring's failing backend so that any
subprocess the suite starts cannot reach a real keyring either (it fails with "no backend" instead).
"""

from __future__ import annotations

import json
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    """Entries in a JSON file: {service: {user: secret}}."""

    priority = 1  # type: ignore[assignment]  # a plain number is enough: it is always set explicitly

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def _read(self) -> dict[str, dict[str, str]]:
        if not self.path.exists():
            return {}
        data: dict[str, dict[str, str]] = json.loads(self.path.read_text(encoding="utf-8"))
        return data

    def get_password(self, service: str, username: str) -> str | None:
        """The stored secret, or None."""
        return self._read().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        """Store (or replace) a secret."""
        data = self._read()
        data.setdefault(service, {})[username] = password
        self.path.write_text(json.dumps(data), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        """Remove a secret."""
        data = self._read()
        if username not in data.get(service, {}):
            raise PasswordDeleteError(f"no entry {service}/{username}")
        del data[service][username]
        self.path.write_text(json.dumps(data), encoding="utf-8")
