"""The body document (UI-free): chunks, search across chunks, Twilio URIs on JSON lines."""

from __future__ import annotations

import json

from twibench import render
from twibench.workbench.body_document import BodyDocument, Lines, fallback_batch, packed_batches


def document_of(body: bytes, content_type: str, batch_lines: int) -> BodyDocument:
    document: BodyDocument | None = None
    for batch in packed_batches(render.iter_render(body, content_type, batch_lines=batch_lines)):
        if document is None or batch.reset:
            document = BodyDocument(batch.kind, batch.note, batch.size)
        if batch.chunk is not None:
            document.append(batch.chunk)
    assert document is not None
    return document


BODY = json.dumps(
    {
        "messages": [{"sid": f"SM{i:032d}", "body": "héllo" if i == 7 else "hi"} for i in range(40)],
        "next_page_uri": "/2010-04-01/Accounts/AC1/Messages.json?Page=1",
        "subresource_uris": {"media": "/2010-04-01/Accounts/AC1/Media.json"},
    }
).encode()


async def test_search_wraps_across_chunks_both_ways_and_folds_non_ascii_case() -> None:
    document = document_of(BODY, "application/json", batch_lines=16)
    assert len(document.chunks) > 3
    found = await document.find("HÉLLO", 0, backwards=False)
    assert found is not None and "héllo" in document.text(found)
    assert await document.find("héllo", found + 1, backwards=False) == found  # wrapped around
    assert await document.find("héllo", found - 1, backwards=True) == found
    assert await document.find("absent", 0, backwards=False) is None


def test_uris_and_the_next_page_are_read_from_json_lines() -> None:
    document = document_of(BODY, "application/json", batch_lines=16)
    lines = Lines(document)
    media = next(i for i, line in enumerate(lines) if '"media"' in line)
    assert document.uri_of_line(media) == "/2010-04-01/Accounts/AC1/Media.json"
    sid = next(i for i, line in enumerate(lines) if '"sid"' in line)
    assert document.uri_of_line(sid) is None  # a sid is not a path
    assert document.next_page_uri == "/2010-04-01/Accounts/AC1/Messages.json?Page=1"


def test_the_fallback_shows_control_characters() -> None:
    batch = fallback_batch(b"a\x1b[31mb\nc", "could not format")
    assert batch.chunk is not None and batch.kind == "text" and batch.note == "could not format"
    document = BodyDocument(batch.kind, batch.note, batch.size)
    document.append(batch.chunk)
    assert list(Lines(document)) == ["a\u241b[31mb", "c"]
