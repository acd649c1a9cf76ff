"""placeholder"""

from __future__ import annotations

from typing import Any

OVERRIDES: dict[tuple[str, str, str], Any] = {}
