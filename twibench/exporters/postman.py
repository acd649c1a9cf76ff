"""Export a collection file, or a folder of them, as a Postman Collection v2.1 document.

A file becomes a collection whose items are its requests; a folder becomes a collection with one item
group per file (named after the collection) and one per sub-folder. Paths are written on
https://api.twilio.com, the host they run against with a live profile. Requests that use the profile's
credentials inherit the collection's basic auth, `{{account_sid}}` / `{{auth_token}}`, which are empty
collection variables to fill in from a Postman environment: the document never holds a secret.
Runner keys (capture, expect, poll, retry) have no Postman equivalent and are left out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from twibench.collection import Collection, Request
from twibench.errors import FileErrors
from twibench.spec.urls import TWILIO_API_BASE

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
_CREDENTIAL_VARIABLES = (
    ("account_sid", "The Account SID (AC…) in the URLs and the basic-auth user; set it in a Postman environment."),
    (
        "auth_token",
        "The Auth Token (with an API key: change the auth to the key's SID and secret); keep it in "
        "a Postman environment, not here.",
    ),
)


def _description(text: str | None) -> dict[str, Any]:
    return {"description": text} if text else {}


def _url(request: Request) -> dict[str, Any]:
    raw = request.url.strip()
    if raw.startswith("/"):
        raw = TWILIO_API_BASE + raw
    url: dict[str, Any] = {"raw": raw}
    scheme, sep, rest = raw.partition("://")
    if sep:
        host, _, path = rest.partition("/")
        url["protocol"] = scheme
        url["host"] = host.split(".") if "{{" not in host else [host]
        url["path"] = path.split("/") if path else []
    if request.params:
        url["raw"] = raw + "?" + "&".join(f"{k}={v}" for k, v in request.params)
        url["query"] = [{"key": k, "value": v} for k, v in request.params]
    return url


def _body(request: Request) -> dict[str, Any] | None:
    if request.form is not None:
        return {"mode": "urlencoded", "urlencoded": [{"key": k, "value": v, "type": "text"} for k, v in request.form]}
    if request.json is not None:
        return {
            "mode": "raw",
            "raw": json.dumps(request.json, indent=2, ensure_ascii=False),
            "options": {"raw": {"language": "json"}},
        }
    if request.body is not None:
        return {"mode": "raw", "raw": request.body}
    return None


def request_item(request: Request) -> dict[str, Any]:
    """One Postman item for a request."""
    body: dict[str, Any] = {
        "method": request.method.upper(),
        "header": [{"key": k, "value": v} for k, v in request.headers],
        "url": _url(request),
        **_description(request.description),
    }
    payload = _body(request)
    if payload is not None:
        body["body"] = payload
    if request.auth.mode == "none":
        body["auth"] = {"type": "noauth"}
    elif request.auth.mode == "basic":
        body["auth"] = {
            "type": "basic",
            "basic": [
                {"key": "username", "value": request.auth.user, "type": "string"},
                {"key": "password", "value": request.auth.secret, "type": "string"},
            ],
        }
    return {"name": request.name, "request": body, "response": []}


def _variables(values: dict[str, str]) -> list[dict[str, Any]]:
    return [{"key": k, "value": v, "type": "string"} for k, v in values.items()]


def collection_items(collection: Collection) -> list[dict[str, Any]]:
    """The items of one collection's requests."""
    return [request_item(r) for r in collection.requests]


def _group(collection: Collection) -> dict[str, Any]:
    group: dict[str, Any] = {"name": collection.name, **_description(collection.description)}
    if collection.variables:
        group["variable"] = _variables(collection.variables)
    group["item"] = collection_items(collection)
    return group


def _uses_profile(collections: list[Collection]) -> bool:
    return any(r.auth.mode == "profile" for c in collections for r in c.requests)


def _document(
    name: str, description: str | None, items: list[dict[str, Any]], collections: list[Collection]
) -> dict[str, Any]:
    document: dict[str, Any] = {"info": {"name": name, "schema": SCHEMA, **_description(description)}, "item": items}
    variables: list[dict[str, Any]] = []
    if len(collections) == 1:
        variables = _variables(collections[0].variables)
    if _uses_profile(collections):
        known = {v["key"] for v in variables}
        variables += [
            {"key": key, "value": "", "type": "string", "description": about}
            for key, about in _CREDENTIAL_VARIABLES
            if key not in known
        ]
        document["auth"] = {
            "type": "basic",
            "basic": [
                {"key": "username", "value": "{{account_sid}}", "type": "string"},
                {"key": "password", "value": "{{auth_token}}", "type": "string"},
            ],
        }
    if variables:
        document["variable"] = variables
    return document


def export_postman(path: Path) -> dict[str, Any]:
    """The Postman v2.1 document for a collection file or a folder of them.

    Raises:
        FileErrors: a collection does not load (every problem of every file).
    """
    from twibench.collection import load_collection, load_paths

    if not path.is_dir():
        collection = load_collection(path)
        return _document(collection.name, collection.description, collection_items(collection), [collection])
    result = load_paths([path])
    if result.errors:
        raise FileErrors(result.errors)
    root: dict[str, Any] = {"item": []}
    groups: dict[tuple[str, ...], dict[str, Any]] = {(): root}
    for collection in result.collections:
        parts = collection.path.relative_to(path).parts[:-1]
        for depth in range(1, len(parts) + 1):
            key = parts[:depth]
            if key not in groups:
                groups[key] = {"name": key[-1], "item": []}
                groups[key[:-1]]["item"].append(groups[key])
        groups[parts]["item"].append(_group(collection))
    return _document(path.resolve().name, None, root["item"], result.collections)
