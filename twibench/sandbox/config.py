"""What one sandbox instance needs to know: where its state lives and how it behaves.

Kept apart from the server code so `embedded` and `cli` can build it without importing Starlette.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DETERMINISTIC_ENV = "TWIBENCH_SANDBOX_DETERMINISTIC"
"""Set to 1 to make every sandbox started by this process deterministic (tests, screenshots)."""


@dataclass(frozen=True)
class SandboxConfig:
    """The settings of one sandbox application."""

    db_path: Path
    """The SQLite state file (usually `<data dir>/sandbox.sqlite3`)."""
    deterministic: bool = False
    """Seeded SIDs, a fixed clock and instant delivery, so output is identical run after run."""
    delivery_seconds: float = 2.0
    """How long a new message takes to go queued → sending → sent → delivered (0 in deterministic mode)."""
    concurrency_limit: int = 20
    """More requests in flight than this get 429 / 20429."""
    log_errors: bool = False
    """Report unexpected exceptions on stderr (the CLI server); never under the TUI."""
    webhook_hosts: tuple[str, ...] = ()
    """Hosts besides loopback that callbacks and TwiML fetches may go to (`sandbox.webhook_hosts`)."""

    @property
    def effective_delivery_seconds(self) -> float:
        """Delivery time actually used: deterministic mode delivers at once."""
        return 0.0 if self.deterministic else max(0.0, self.delivery_seconds)


def deterministic_requested(flag: bool) -> bool:
    """True when the caller or the environment (TWIBENCH_SANDBOX_DETERMINISTIC=1) asks for it."""
    return flag or os.environ.get(DETERMINISTIC_ENV, "").strip() == "1"


def from_settings(*, deterministic: bool, log_errors: bool = False) -> SandboxConfig:
    """Build the config from the user's config.yaml and the data dir.

    Raises:
        FileErrors: config.yaml is invalid.
    """
    from twibench import paths
    from twibench.settings import load_settings

    settings = load_settings()
    return SandboxConfig(
        db_path=paths.sandbox_db(),
        deterministic=deterministic,
        delivery_seconds=settings.sandbox.delivery_seconds,
        concurrency_limit=settings.sandbox.concurrency_limit,
        log_errors=log_errors,
        webhook_hosts=tuple(settings.sandbox.webhook_hosts),
    )
