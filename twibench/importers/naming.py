"""Names, ids and file names for imported requests, unique where the collection format needs them.

A collection file needs unique request names and ids (DESIGN §2), and a folder of imported collections
needs distinct file names. Imported sources repeat names freely (Postman folders, curl commands pasted
twice), so every importer goes through these helpers instead of inventing suffixes of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from twibench.collection import Request, slug

_MAX_NAME = 120


def clean_name(name: str, fallback: str) -> str:
    """A one-line, trimmed, bounded name; `fallback` when nothing is left."""
    text = " ".join(name.split())
    if len(text) > _MAX_NAME:
        text = text[: _MAX_NAME - 1].rstrip() + "…"
    return text or fallback


class UniqueNames:
    """Hands out request names and ids not yet used in one collection file."""

    def __init__(self, existing: Iterable[Request] = ()) -> None:
        self.names: set[str] = set()
        self.ids: set[str] = set()
        for request in existing:
            self.names.add(request.name)
            self.ids.add(request.id)

    def claim(self, request: Request) -> Request:
        """`request` renamed if needed ("Send (2)", id `send-2`) so its name and id are both new here.

        The id is written out (`explicit_id`) only when it differs from the slug of the name, as the
        collection writer would do anyway.
        """
        base_id = request.id if request.explicit_id and request.id else slug(request.name) or "request"
        number = 1
        while True:
            name = request.name if number == 1 else f"{request.name} ({number})"
            request_id = base_id if number == 1 else f"{base_id}-{number}"
            if name not in self.names and request_id not in self.ids:
                break
            number += 1
        self.names.add(name)
        self.ids.add(request_id)
        return replace(request, name=name, id=request_id, explicit_id=request_id != slug(name))


class UniqueFiles:
    """Hands out file stems (`messages`, `messages-2`) that are distinct within one folder."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, name: str, fallback: str = "collection") -> str:
        """A new file stem for `name`: its slug, numbered when taken."""
        base = slug(name) or fallback
        stem = base
        number = 2
        while stem in self.taken:
            stem = f"{base}-{number}"
            number += 1
        self.taken.add(stem)
        return stem
