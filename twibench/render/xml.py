"""XML, pretty-printed by expat in chunks; any DOCTYPE is refused (no entity expansion, no external entities)."""

from __future__ import annotations

import codecs
import textwrap
from collections.abc import Iterable, Iterator
from xml.parsers import expat

from twibench.render import lines as common
from twibench.render.lines import RenderBatch, batches, decode_lines, decoded_pieces, text_fallback, visible_text

__all__ = ["xml_batches"]


class _UnsafeXml(Exception):
    """Raised from the DOCTYPE handler: documents that declare entities are not parsed at all."""


def _escape_text(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    return text.replace("<", "&lt;") if "<" in text else text


def _escape_attr(value: str) -> str:
    value = _escape_text(value).replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


class _XmlFormatter:
    """expat callbacks that write one element per line, with leaf elements kept on one line.

    expat (not ElementTree) so namespace prefixes, comments, processing instructions and CDATA come out
    as written, and so formatting streams: a start tag waits in `pending` until we know whether the
    element has children.
    """

    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.depth = 0
        self.pending: str | None = None
        self.text: list[str] = []
        self.in_cdata = False
        self.pads = [""]

    def pad(self, depth: int) -> str:
        while len(self.pads) <= depth:
            self.pads.append("  " * len(self.pads))
        return self.pads[depth]

    def attach(self, parser: expat.XMLParserType) -> None:
        parser.buffer_text = True
        parser.ordered_attributes = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.XmlDeclHandler = self.xml_decl
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.doctype
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.chars
        parser.CommentHandler = self.comment
        parser.ProcessingInstructionHandler = self.instruction
        parser.StartCdataSectionHandler = self.start_cdata
        parser.EndCdataSectionHandler = self.end_cdata

    def doctype(self, *_args: object) -> None:
        raise _UnsafeXml

    def xml_decl(self, version: str | None, encoding: str | None, standalone: int) -> None:
        parts = [f'version="{version or "1.0"}"']
        if encoding:
            parts.append(f'encoding="{encoding}"')
        if standalone != -1:
            parts.append(f'standalone="{"yes" if standalone else "no"}"')
        self.out.append(f"<?xml {' '.join(parts)}?>")

    def start(self, name: str, attrs: list[str]) -> None:
        self.open_pending()
        tag = "<" + name
        for i in range(0, len(attrs), 2):
            tag += f' {attrs[i]}="{visible_text(_escape_attr(attrs[i + 1]))}"'
        self.pending = tag
        self.depth += 1

    def end(self, name: str) -> None:
        self.depth -= 1
        pad = self.pad(self.depth)
        if self.pending is None:
            self.flush_text(self.depth + 1)
            self.out.append(f"{pad}</{name}>")
            return
        tag, self.pending = self.pending, None
        text = "".join(self.text).strip()
        self.text.clear()
        if not text:
            self.out.append(f"{pad}{tag}/>")
        elif "\n" not in text and "\r" not in text:
            self.out.append(f"{pad}{tag}>{visible_text(text)}</{name}>")
        else:
            self.out.append(f"{pad}{tag}>")
            self.block(text, self.depth + 1)
            self.out.append(f"{pad}</{name}>")

    def chars(self, data: str) -> None:
        self.text.append(data if self.in_cdata else _escape_text(data))

    def start_cdata(self) -> None:
        self.text.append("<![CDATA[")
        self.in_cdata = True

    def end_cdata(self) -> None:
        self.text.append("]]>")
        self.in_cdata = False

    def comment(self, data: str) -> None:
        self.open_pending()
        self.block(f"<!--{data}-->", self.depth)

    def instruction(self, target: str, data: str) -> None:
        self.open_pending()
        self.block(f"<?{target} {data}?>" if data else f"<?{target}?>", self.depth)

    def open_pending(self) -> None:
        """Something follows a start tag: write the tag as an opening line, then any text before it."""
        if self.pending is not None:
            self.out.append(f"{self.pad(self.depth - 1)}{self.pending}>")
            self.pending = None
        self.flush_text(self.depth)

    def flush_text(self, depth: int) -> None:
        if self.text:
            text = "".join(self.text)
            self.text.clear()
            if text.strip():
                self.block(text, depth)

    def block(self, text: str, depth: int) -> None:
        """Text that may span lines, re-indented as a block (its own indentation kept relative).

        The first line follows the tag in the source, so it is stripped on its own; the others lose only
        their common indentation.
        """
        pad = self.pad(depth)
        first, _, rest = text.replace("\r\n", "\n").replace("\r", "\n").partition("\n")
        lines = [first.strip(), *textwrap.dedent(rest).split("\n")] if rest else [first.strip()]
        while lines and not lines[-1].strip():
            lines.pop()
        start = 0
        while start < len(lines) and not lines[start].strip():
            start += 1
        self.out.extend(pad + visible_text(line.rstrip()) for line in lines[start:])


def xml_batches(
    body: bytes, charset: str | None, size: int, batch_lines: int, sniff_note: str | None
) -> Iterator[RenderBatch]:
    """Feed expat 1 MB at a time (its callbacks are Python, so the GIL changes hands while it parses)."""
    out: list[str] = []
    formatter = _XmlFormatter(out)
    parser = expat.ParserCreate()
    formatter.attach(parser)
    pieces: Iterable[memoryview | str]
    try:
        encoding = codecs.lookup(charset).name if charset else None
    except LookupError:
        encoding = None  # an unknown header charset: let the document's declaration decide
    if encoding is None:
        view = memoryview(body)
        pieces = (view[start : start + common.CHUNK] for start in range(0, len(body), common.CHUNK))
    else:  # the header wins over the document's own declaration: expat gets text (read as UTF-8)
        pieces = decoded_pieces(body, "utf-8-sig" if encoding == "utf-8" else encoding)
    sent = False
    try:
        for piece in pieces:
            parser.Parse(piece, False)
            if batch_lines and len(out) > batch_lines:
                yield from batches("xml", out[:], sniff_note, size, batch_lines)
                out.clear()
                sent = True
        parser.Parse(b"", True)
    except _UnsafeXml:
        note = "XML with a DOCTYPE is shown as text (entities are never expanded)"
    except expat.ExpatError as exc:
        reason = expat.errors.messages.get(exc.code, "not well-formed") if exc.code else "not well-formed"
        note = f"invalid XML at line {exc.lineno}, column {exc.offset + 1}: {reason}; shown as text"
    except UnicodeDecodeError:
        lines, decode_note = decode_lines(body, charset)
        yield from batches("text", lines, f"{decode_note}; shown as text", size, batch_lines, sent)
        return
    else:
        yield from batches("xml", out, sniff_note, size, batch_lines)
        return
    yield from text_fallback(body, charset, note, size, batch_lines, sent)
