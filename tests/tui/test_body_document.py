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


async def test_matching_lines_counts_each_matching_line_once_across_chunks() -> None:
    document = document_of(BODY, "application/json", batch_lines=16)
    found = await document.matching_lines("SM000")
    lines = Lines(document)
    assert list(found) == [i for i, line in enumerate(lines) if "SM000" in line]
    assert len(found) == 40  # one per sid line, though each line has the needle once or more
    assert len(await document.matching_lines("0")) == len({*found, *(i for i, t in enumerate(lines) if "0" in t)})
    assert list(await document.matching_lines("absent")) == []


def test_value_at_decodes_scalars_and_copies_objects_whole() -> None:
    body = json.dumps({"sid": "SM1 \u00e9\\n", "count": 5, "none": None, "sub": {"media": "/M.json", "n": [1, 2]}})
    document = document_of(body.encode(), "application/json", batch_lines=3)
    lines = Lines(document)

    def at(fragment: str) -> str:
        return document.value_at(next(i for i, line in enumerate(lines) if fragment in line))

    assert at('"sid"') == "SM1 \u00e9\\n"
    assert at('"count"') == "5"
    assert at('"none"') == "null"
    assert json.loads(at('"sub"')) == {"media": "/M.json", "n": [1, 2]}
    assert at('"sub"').startswith('{\n  "media"')
    assert json.loads(at('"n"')) == [1, 2]
    assert json.loads(document.value_at(0)) == json.loads(body)  # the opening brace: the whole body
    assert document.whole().decode() == "\n".join(lines)


def test_value_at_of_other_kinds_is_the_line() -> None:
    document = document_of(b"one\n  two words  \n", "text/plain", batch_lines=10)
    assert document.value_at(1) == "  two words  "
