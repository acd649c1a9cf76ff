"""Import a Postman Collection v2.1 as a folder of collection files.

Layout: the collection's loose top-level requests go to `<collection name>.yaml`; each folder becomes
`<folder name>.yaml` holding its own requests, and its sub-folders go under `<folder name>/`, so the
tree twibench shows is Postman's tree. Folders without requests of their own make no file.

What is kept and what is not:
- `{{variables}}` stay as they are; the collection's (and each folder's) `variable` list becomes the
  file's `variables`; `:name` path variables become `{{name}}` with their values as file variables.
- Disabled query/header/body rows are not imported (Postman does not send them either); each request's
  description lists them.
- Variables that hold secrets — named like one (token, secret, password…) or used as a credential (a
  basic-auth password, an Authorization header…) — are not written, with a warning naming them.
- Auth: requests to Twilio use the active profile. Basic auth is dropped in favour of the profile (with a
  warning); elsewhere basic auth whose password is a `{{variable}}` is kept as `auth: {basic: …}`, and
  `noauth` becomes `auth: none`. Other schemes (OAuth, bearer, API key…) are dropped with a warning.
- Scripts (pre-request, tests), saved responses and methods twibench cannot send are left out, with a
  warning.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twibench.collection import METHODS, Auth, Collection, Request
from twibench.errors import TwibenchError
from twibench.importers.naming import UniqueFiles, UniqueNames, clean_name
from twibench.importers.postman_request import RequestBuilder, text_of
from twibench.importers.postman_secrets import credential_variables, secret_named
from twibench.spec.openapi import mapping_of
from twibench.spec.urls import is_twilio_url
from twibench.variables import NAME_PATTERN, is_pure_reference

__all__ = ["PostmanError", "PostmanImport", "build_collections", "import_postman"]


_PROFILE_VARIABLES = ("account_sid", "auth_token")


class PostmanError(TwibenchError):
    """The file is not a Postman v2.x collection twibench can read."""


@dataclass
class PostmanImport:
    """What an import wrote, and what it had to leave out."""

    files: list[Path] = field(default_factory=list)
    requests: int = 0
    warnings: list[str] = field(default_factory=list)


class _Warnings:
    """Warnings counted by message, so 40 OAuth requests give one line, not forty."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def __call__(self, message: str) -> None:
        self.counts[message] += 1

    def lines(self) -> list[str]:
        return [f"{message} ({count} times)" if count > 1 else message for message, count in self.counts.items()]


def _auth_items(auth: Mapping[str, Any], kind: str) -> dict[str, str]:
    """Postman keeps an auth scheme's settings as [{key, value}] (v2.1) or a mapping (v2.0)."""
    raw = auth.get(kind)
    if isinstance(raw, list):
        return {str(i.get("key")): text_of(i.get("value")) for i in raw if isinstance(i, Mapping)}
    if isinstance(raw, Mapping):
        return {str(k): text_of(v) for k, v in raw.items()}
    return {}


class _Importer:
    """Walks one Postman collection and builds the collections to write."""

    def __init__(self, document: Mapping[str, Any], out_dir: Path) -> None:
        self.document = document
        self.out_dir = out_dir
        self.warn = _Warnings()
        self.collections: list[Collection] = []
        self.secret_variables = credential_variables(document)

    def variables(self, rows: Any, inherited: dict[str, str]) -> dict[str, str]:
        values = dict(inherited)
        for row in rows if isinstance(rows, list) else ():
            if not isinstance(row, Mapping) or row.get("disabled") is True:
                continue
            key = text_of(row.get("key") or row.get("id"))
            value = text_of(row.get("value"))
            if key in _PROFILE_VARIABLES and not value:
                continue  # placeholders for credentials (twibench's own Postman export adds them)
            if key in self.secret_variables or secret_named(key):
                if value:
                    self.warn(
                        f"the variable {key!r} was not imported: it holds a secret and files never hold secrets; "
                        f"give it with --var {key}=… or as a profile variable"
                    )
                continue
            if not NAME_PATTERN.match(key):
                self.warn(f"the variable {key!r} was skipped: twibench variable names use letters, digits, _ . -")
                continue
            values[key] = value
        return values

    def walk(self) -> None:
        info = mapping_of(self.document.get("info"))
        name = clean_name(text_of(info.get("name")), "Postman collection")
        variables = self.variables(self.document.get("variable") or self.document.get("variables"), {})
        if self.document.get("event"):
            self.warn("collection scripts (pre-request and tests) were not imported")
        self.folder(
            name, text_of(info.get("description")), self.document, self.document.get("auth"), variables,
            self.out_dir, UniqueFiles(), root=True,
        )  # fmt: skip

    def folder(
        self,
        name: str,
        description: str,
        node: Mapping[str, Any],
        auth: Any,
        variables: dict[str, str],
        directory: Path,
        files: UniqueFiles,
        *,
        root: bool = False,
    ) -> None:
        """One file for the node's own requests; sub-folders under `directory/<its name>/`.

        The collection itself (`root`) is the exception: its folders are files beside its own file.
        """
        own: list[Mapping[str, Any]] = []
        folders: list[Mapping[str, Any]] = []
        for item in node.get("item") or ():
            if isinstance(item, Mapping):
                (folders if isinstance(item.get("item"), list) else own).append(item)
        stem = files.claim(name)
        path_values: dict[str, str] = {}
        names = UniqueNames()
        requests = [r for r in (self.request(i, auth, path_values) for i in own) if r is not None]
        if requests:
            file_variables = dict(variables)
            for key, value in path_values.items():
                if NAME_PATTERN.match(key) and file_variables.setdefault(key, value) != value:
                    self.warn(f"the path variable :{key} has different values in one folder; the first one was kept")
            self.collections.append(
                Collection(
                    name=name,
                    path=directory / f"{stem}.yaml",
                    description=description.strip() or None,
                    variables=file_variables,
                    requests=[names.claim(r) for r in requests],
                )
            )
        sub_files, sub_dir = (files, directory) if root else (UniqueFiles(), directory / stem)
        for sub in folders:
            if sub.get("event"):
                self.warn("folder scripts (pre-request and tests) were not imported")
            sub_auth = sub.get("auth") if isinstance(sub.get("auth"), Mapping) else auth
            self.folder(
                clean_name(text_of(sub.get("name")), "Folder"), text_of(sub.get("description")), sub, sub_auth,
                self.variables(sub.get("variable"), variables), sub_dir, sub_files,
            )  # fmt: skip

    def request(self, item: Mapping[str, Any], inherited_auth: Any, path_values: dict[str, str]) -> Request | None:
        raw = item.get("request")
        if isinstance(raw, str):
            raw = {"url": raw, "method": "GET"}
        if not isinstance(raw, Mapping):
            self.warn("an item without a request was skipped")
            return None
        method = text_of(raw.get("method") or "GET").upper()
        label = text_of(item.get("name")) or f"{method} request"
        if method not in METHODS:
            self.warn(f"the request {label!r} was skipped: twibench cannot send the method {method}")
            return None
        request = Request(name=clean_name(label, f"{method} request"), id="", method=method)
        builder = RequestBuilder(self.warn, path_values)
        builder.url(raw.get("url"), request)
        if not request.url:
            self.warn(f"the request {label!r} was skipped: it has no URL")
            return None
        builder.headers(raw.get("header"), request)
        builder.body(raw.get("body"), request)
        auth = raw.get("auth") if isinstance(raw.get("auth"), Mapping) else inherited_auth
        request.auth = self.auth(auth, request.url)
        if item.get("event"):
            self.warn("request scripts (pre-request and tests) were not imported")
        sent = [request.url, request.params, request.headers, request.form, request.body, request.json]
        if "{{$" in json.dumps(sent):
            self.warn("Postman's dynamic variables ({{$guid}}, {{$timestamp}}…) have no twibench equivalent")
        notes = [text_of(raw.get("description")).strip()]
        if builder.disabled:
            notes.append("Disabled in Postman, not imported: " + ", ".join(builder.disabled) + ".")
        request.description = "\n\n".join(n for n in notes if n) or None
        return request

    def auth(self, auth: Any, url: str) -> Auth:
        twilio = is_twilio_url(url)
        default = Auth() if twilio else Auth(mode="none")
        if not isinstance(auth, Mapping) or auth.get("type") in (None, "inherit"):
            return default
        kind = str(auth.get("type"))
        if kind == "noauth":
            return Auth(mode="none")
        if kind == "basic":
            settings = _auth_items(auth, "basic")
            user, password = settings.get("username", ""), settings.get("password", "")
            if twilio:
                self.warn("basic auth was replaced by the active profile's credentials (files never hold secrets)")
                return Auth()
            if password and is_pure_reference(password):
                return Auth(mode="basic", user=user, secret=password)
            self.warn("basic auth with a literal password was dropped (files never hold secrets)")
            return default
        self.warn(f"{kind} auth was dropped: twibench sends basic auth from a profile or from variables")
        return default


def read_collection(path: Path) -> dict[str, Any]:
    """Load a Postman collection file and check it is v2.x.

    Raises:
        PostmanError: not readable, not JSON, or not a Postman v2 collection.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PostmanError(f"{path}: cannot read the file: {getattr(exc, 'strerror', None) or exc}") from None
    except ValueError as exc:
        raise PostmanError(f"{path}: not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("item"), list):
        raise PostmanError(f"{path}: not a Postman collection (expected a JSON object with info and item)")
    info = mapping_of(data.get("info"))
    schema = str(info.get("schema") or "")
    if "/v1." in schema or "requests" in data:
        raise PostmanError(f"{path}: a Postman v1 collection; export it from Postman as Collection v2.1")
    return data


def build_collections(document: Mapping[str, Any], out_dir: Path) -> tuple[list[Collection], list[str]]:
    """The collection files for a Postman document (paths under `out_dir`) and the warnings."""
    importer = _Importer(document, out_dir)
    importer.walk()
    return importer.collections, importer.warn.lines()


def import_postman(path: Path, out_dir: Path, *, overwrite: bool = False) -> PostmanImport:
    """Import the Postman collection at `path` into `out_dir` (see the module docstring for the layout).

    Raises:
        PostmanError: the file is not a Postman v2 collection, or it holds no request twibench can send.
        ExistingFilesError: a target file exists and `overwrite` is not set (nothing is written).
        SaveError: a file would not load back (nothing is written).
    """
    from twibench.importers.writing import write_collections

    collections, warnings = build_collections(read_collection(path), out_dir)
    if not collections:
        raise PostmanError(f"{path}: no request could be imported" + (f" ({warnings[0]})" if warnings else ""))
    files = write_collections(collections, out_dir, overwrite=overwrite)
    return PostmanImport(files=files, requests=sum(len(c.requests) for c in collections), warnings=warnings)
