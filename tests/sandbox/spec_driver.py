"""Drive spec operations against a sandbox: make parents first, fill required parameters, follow IDs.

Used by the round-trip tests (one creatable resource per spec) and by the coverage sweep that calls
every operation of every bundled spec once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx

from twibench.sandbox import credentials as cred
from twibench.sandbox.generic.model import ancestors, operation, resource_of, sid_prefix
from twibench.spec.index import API_LABEL, PathItem, product, snake
from twibench.spec.samples import required_params, sample_sid

_PARAM = re.compile(r"\{([^{}/]+)\}")


def sandbox_url(item: PathItem, path: str) -> str:
    """The sandbox path of a concrete Twilio path of `item`'s product."""
    label = item.spec.label
    return f"{path}.json" if label == API_LABEL else f"/{label}{path}"


@dataclass
class Driver:
    """Calls operations with parents created on demand; remembers the IDs it created."""

    client: httpx.Client
    created: dict[str, str] = field(default_factory=dict)
    """Concrete list path → ID of a resource created there."""

    def fill(self, item: PathItem, *, upto: int | None = None) -> str:
        """A concrete path for `item`: the account for AccountSid, created parents, else sample SIDs."""
        template = item.template
        parents = {p.template.count("/"): p for p in ancestors(item, product(item.spec.label))}
        parts = template.split("/")
        out: list[str] = []
        for index, part in enumerate(parts):
            found = _PARAM.fullmatch(part)
            if not found:
                out.append(part)
                continue
            name = found.group(1)
            if name == "AccountSid":
                out.append(cred.ACCOUNT_SID)
                continue
            parent = parents.get(index)
            if parent is not None and resource_of(parent).creatable and (upto is None or index < upto):
                out.append(self.ensure(parent, "/".join(out)))
                continue
            out.append(self._sample_id(item, name, index == len(parts) - 1))
        return "/".join(out)

    def _sample_id(self, item: PathItem, name: str, last: bool) -> str:
        for method in ("get", "post", "delete"):
            op = operation(item, method)
            if op is None:
                continue
            props = {k: item.spec.resolve(v) for k, v in op.properties.items()}
            key = "sid" if last and name == "Sid" else snake(name)
            prefix = sid_prefix(props.get(key, {})) if key in props else None
            if prefix:
                return sample_sid(prefix, 7)
        if name.endswith("Sid"):
            return sample_sid("XX", 7)
        return "+15005550006" if "Phone" in name else "sample"

    def ensure(self, instance: PathItem, list_path: str) -> str:
        """The ID of a resource at `list_path` (created now if the driver has none there)."""
        key = f"{instance.spec.label}:{list_path}"
        if key in self.created:
            return self.created[key]
        resource = resource_of(instance)
        assert resource.list_item is not None
        response = self.create(resource.list_item, list_path)
        assert response.status_code in (200, 201), f"creating under {list_path}: {response.text}"
        ident = self.ident(instance, response.json())
        self.created[key] = ident
        return ident

    def create(self, list_item: PathItem, list_path: str | None = None) -> httpx.Response:
        """POST on a list with its required parameters."""
        path = list_path or self.fill(list_item)
        raw = list_item.operations["post"]
        return self.send(list_item, "post", path, required_params(list_item.spec, raw))

    @staticmethod
    def ident(instance: PathItem, body: dict[str, Any]) -> str:
        """The ID a created resource is addressed by (its `sid`, or the property named like the last param)."""
        name = snake(instance.params[-1])
        return str(body.get(name) or body.get("sid"))

    def send(self, item: PathItem, method: str, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        """One request (form body, or JSON where the spec takes JSON)."""
        url = sandbox_url(item, path)
        raw = item.operations[method]
        content = raw.get("requestBody", {}).get("content", {})
        if method == "get" or method == "delete":
            return self.client.request(method.upper(), url, params=params or None)
        if "application/x-www-form-urlencoded" in content or not content:
            return self.client.request(method.upper(), url, data=params or None)
        return self.client.request(
            method.upper(), url, content=json.dumps(params or {}), headers={"Content-Type": "application/json"}
        )

    def call(self, item: PathItem, method: str) -> httpx.Response:
        """Call one operation: on an instance of a creatable resource, a freshly created one."""
        resource = resource_of(item)
        if item.path_type == "instance" and resource.creatable and resource.list_item is not None:
            list_path = self.fill(resource.list_item)
            created = self.create(resource.list_item, list_path)
            if created.status_code in (200, 201):
                path = f"{list_path}/{self.ident(item, created.json())}"
            else:
                path = self.fill(item)
        else:
            path = self.fill(item)
        return self.send(item, method, path, required_params(item.spec, item.operations[method]))


def creatable_resources(label: str, spec_name: str) -> list[PathItem]:
    """Instance path items of a spec whose list accepts POST, fewest path parameters first."""
    found = []
    for item in product(label).items():
        if item.spec.name != spec_name or item.path_type != "instance":
            continue
        resource = resource_of(item)
        if resource.creatable and "get" in item.operations:
            found.append(item)
    full = {"get", "post", "delete"}
    return sorted(found, key=lambda i: (not full <= set(i.operations), len(i.params), i.template))
