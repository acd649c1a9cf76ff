"""The one reader of the bundled Twilio OpenAPI specs (`twibench/data/twilio-oai/*.json.gz`).

Twilio serves each product on its own host (`verify.twilio.com`, `flex-api.twilio.com`, …); the sandbox
serves them all on one origin, each under a path prefix named after the host's first label
(`{sandbox}/verify/v2/Services`), except the 2010 API which keeps its own `/2010-04-01/…` paths.
`sandbox_path` and `twilio_url` translate between the two forms.

Specs are loaded per product on first use (a product's specs together cost a few milliseconds to
tens of milliseconds to decompress and parse), never at import.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SPEC_DIR = Path(__file__).resolve().parent.parent / "data" / "twilio-oai"
API_LABEL = "api"
API_PREFIX = "/2010-04-01"
METHODS = ("get", "post", "put", "patch", "delete")

PRODUCTS: dict[str, tuple[str, ...]] = {
    "accounts": ("twilio_accounts_v1",),
    "api": ("twilio_api_v2010",),
    "assistants": ("twilio_assistants_v1",),
    "bulkexports": ("twilio_bulkexports_v1",),
    "chat": ("twilio_chat_v1", "twilio_chat_v2", "twilio_chat_v3"),
    "content": ("twilio_content_v1", "twilio_content_v2"),
    "conversations": ("twilio_conversations_v1",),
    "events": ("twilio_events_v1",),
    "flex-api": ("twilio_flex_v1", "twilio_flex_v2"),
    "frontline-api": ("twilio_frontline_v1",),
    "preview-iam": ("twilio_iam_organizations",),
    "iam": ("twilio_iam_v1", "twilio_iam_scim"),
    "insights": ("twilio_insights_v1", "twilio_insights_v2"),
    "intelligence": ("twilio_intelligence_v2",),
    "ip-messaging": ("twilio_ip_messaging_v1", "twilio_ip_messaging_v2"),
    "knowledge": ("twilio_knowledge_v1",),
    "lookups": ("twilio_lookups_v1", "twilio_lookups_v2"),
    "marketplace": ("twilio_marketplace_v1",),
    "messaging": ("twilio_messaging_v1", "twilio_messaging_v2", "twilio_messaging_v3"),
    "monitor": ("twilio_monitor_v1", "twilio_monitor_v2"),
    "notify": ("twilio_notify_v1",),
    "numbers": ("twilio_numbers_v1", "twilio_numbers_v2", "twilio_numbers_v3"),
    "oauth": ("twilio_oauth_v1", "twilio_oauth_v2"),
    "preview": ("twilio_preview",),
    "pricing": ("twilio_pricing_v1", "twilio_pricing_v2"),
    "proxy": ("twilio_proxy_v1",),
    "routes": ("twilio_routes_v2",),
    "serverless": ("twilio_serverless_v1",),
    "studio": ("twilio_studio_v1", "twilio_studio_v2"),
    "supersim": ("twilio_supersim_v1",),
    "sync": ("twilio_sync_v1",),
    "taskrouter": ("twilio_taskrouter_v1",),
    "trunking": ("twilio_trunking_v1",),
    "trusthub": ("twilio_trusthub_v1",),
    "verify": ("twilio_verify_v2", "twilio_verify_v3"),
    "video": ("twilio_video_v1",),
    "voice": ("twilio_voice_v1",),
    "wireless": ("twilio_wireless_v1",),
}
"""Host label → its spec files (stems), in matching order. A test checks it against the specs' servers."""

_PARAM = re.compile(r"\{([^{}/]+)\}")


def host_label(host: str | None) -> str | None:
    """The product label of a Twilio host: `verify` for verify.twilio.com, `api` for api.dublin.ie1.twilio.com."""
    host = (host or "").lower().rstrip(".")
    if not host.endswith(".twilio.com"):
        return None
    label = host.split(".", 1)[0]
    return label if label in PRODUCTS else None


def sandbox_path(url: str) -> str | None:
    """The sandbox path (with query) serving a Twilio URL, or None when the URL is not Twilio's.

    `https://verify.twilio.com/v2/Services` → `/verify/v2/Services`;
    `https://api.twilio.com/2010-04-01/Accounts.json` → `/2010-04-01/Accounts.json`.
    """
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:  # a malformed URL (`http://[::1/`) is nobody's: the URL check names its problem
        return None
    if "@" in parts.netloc:  # `user:secret@host` is refused by the URL check, never rewritten past it
        return None
    label = host_label(hostname)
    if label is None:
        return None
    path = parts.path or "/"
    if label != API_LABEL:
        path = f"/{label}{path}"
    return path + (f"?{parts.query}" if parts.query else "")


def split_sandbox_path(path: str) -> tuple[str, str] | None:
    """(host label, path on Twilio's host) for a sandbox path, or None when no product serves it."""
    if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
        return API_LABEL, path
    label, sep, rest = path.lstrip("/").partition("/")
    if not sep or label == API_LABEL or label not in PRODUCTS:
        return None
    return label, "/" + rest


def twilio_url(path: str) -> str | None:
    """The inverse of `sandbox_path`: `/verify/v2/Services?x=1` → `https://verify.twilio.com/v2/Services?x=1`."""
    stem, sep, query = path.partition("?")
    found = split_sandbox_path(stem)
    if found is None:
        return None
    label, rest = found
    return f"https://{label}.twilio.com{rest}" + (f"?{query}" if sep else "")


@dataclass(eq=False)
class PathItem:
    """One path of a spec: its template (without `.json`), its operations and the x-twilio hints."""

    spec: Spec
    template: str
    """As in the spec, minus the 2010 API's `.json` suffix (other products keep theirs: messaging v2 has one)."""
    raw: dict[str, Any]
    params: tuple[str, ...]
    pattern: re.Pattern[str]

    @property
    def operations(self) -> dict[str, dict[str, Any]]:
        """Method (lower case) → operation object."""
        return {m: op for m, op in self.raw.items() if m in METHODS}

    @property
    def path_type(self) -> str:
        """`list` or `instance` (x-twilio.pathType; guessed from the template when absent)."""
        declared = self.raw.get("x-twilio", {}).get("pathType")
        if declared in ("list", "instance"):
            return str(declared)
        return "instance" if self.template.endswith("}") else "list"


@dataclass(eq=False)
class Spec:
    """One parsed spec document."""

    name: str
    doc: dict[str, Any]
    label: str = ""
    """The host label of the product it belongs to."""
    items: list[PathItem] = field(default_factory=list)

    def resolve(self, schema: dict[str, Any] | None) -> dict[str, Any]:
        """Follow a `$ref` to `#/components/schemas/…` (one level, as Twilio's specs use them)."""
        if not schema:
            return {}
        ref = schema.get("$ref")
        if isinstance(ref, str):
            resolved: dict[str, Any] = self.doc["components"]["schemas"][ref.rsplit("/", 1)[-1]]
            return resolved
        return schema


@dataclass(eq=False)
class Product:
    """Every spec of one host label, with its paths compiled for matching."""

    label: str
    specs: list[Spec]
    by_template: dict[str, PathItem]
    _by_length: dict[int, list[PathItem]]

    def match(self, path: str) -> tuple[PathItem, dict[str, str]] | None:
        """The path item serving `path` (on Twilio's host, without `.json`) and its arguments.

        Literal segments win over parameters (`/Services/{Sid}/Configuration` before `/Services/{Sid}/{X}`).
        """
        for item in self._by_length.get(path.count("/"), ()):
            found = item.pattern.match(path)
            if found is not None:
                return item, {name: found.group(i + 1) for i, name in enumerate(item.params)}
        return None

    def items(self) -> list[PathItem]:
        """Every path item of every spec of the product."""
        return [item for spec in self.specs for item in spec.items]


def load_spec(name: str, label: str = "") -> Spec:
    """Parse one bundled spec (`twilio_verify_v2`)."""
    with gzip.open(SPEC_DIR / f"{name}.json.gz", "rb") as handle:
        doc: dict[str, Any] = json.load(handle)
    spec = Spec(name, doc, label)
    for template, raw in doc.get("paths", {}).items():
        stem = template.removesuffix(".json") if label == API_LABEL else template
        params = tuple(_PARAM.findall(stem))
        regex = "^" + _PARAM.sub("([^/]+)", re.escape(stem).replace(r"\{", "{").replace(r"\}", "}")) + "$"
        spec.items.append(PathItem(spec, stem, raw, params, re.compile(regex)))
    return spec


_lock = threading.Lock()


@functools.cache
def _product(label: str) -> Product:
    specs = [load_spec(name, label) for name in PRODUCTS[label]]
    by_template: dict[str, PathItem] = {}
    by_length: dict[int, list[PathItem]] = {}
    for spec in specs:
        for item in spec.items:
            by_template.setdefault(item.template, item)
            by_length.setdefault(item.template.count("/"), []).append(item)
    for group in by_length.values():
        group.sort(key=lambda item: len(item.params))
    return Product(label, specs, by_template, by_length)


def product(label: str) -> Product:
    """The product of a host label, loading its specs on first use (thread-safe)."""
    with _lock:
        return _product(label)


def all_products() -> list[Product]:
    """Every product (loads every spec: for tests and figures, not for serving)."""
    return [product(label) for label in PRODUCTS]


def snake(name: str) -> str:
    """Twilio's parameter → property naming: `FriendlyName` → `friendly_name`, `From` → `from`."""
    out = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    out = re.sub(r"(?<=[A-Z])([A-Z][a-z])", r"_\1", out)
    return out.lower()
