"""Body rendering: each content type, the fallbacks with their notes, safety, tokens and search."""

from __future__ import annotations

import codecs
import json
from json.scanner import make_scanner
from typing import ClassVar

import pytest

from twibench import render
from twibench.render import (
    CSV_ALIGN_MAX_ROWS,
    CSV_CELL_MAX,
    PREVIEW_BYTES,
    RenderBatch,
    Rendered,
    iter_render,
    json_tokens,
    render_body,
    search,
)

ACCOUNT = "AC0123456789abcdef0123456789abcdef"


def _message(n: int) -> dict[str, object]:
    sid = f"SM{n:032x}"
    return {
        "sid": sid,
        "account_sid": ACCOUNT,
        "api_version": "2010-04-01",
        "body": f'Your total is $5 — reçu n°{n} 🎉 "quoted" and a\nnewline',
        "to": "+15558675310",
        "from": "+15017122661",
        "status": "delivered",
        "num_segments": "1",
        "num_media": "0",
        "price": "-0.00750",
        "price_unit": "USD",
        "error_code": None,
        "error_message": None,
        "date_sent": "Thu, 24 Aug 2023 05:01:45 +0000",
        "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}.json",
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}/Media.json"},
        "tags": [],
        "meta": {},
        "flags": [True, False, None, 3, -2.5],
    }


def _page(count: int) -> dict[str, object]:
    return {
        "first_page_uri": f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json?PageSize=50&Page=0",
        "end": count - 1,
        "previous_page_uri": None,
        "messages": [_message(n) for n in range(count)],
        "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json?PageSize=50&Page=0",
        "page_size": 50,
        "start": 0,
        "next_page_uri": None,
        "page": 0,
    }


def _dumps(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _reference(data: object) -> list[str]:
    """What json.dumps(indent=2) shows: the layout the renderer must reproduce."""
    return json.dumps(data, indent=2, ensure_ascii=False).split("\n")


def _collect(body: bytes, content_type: str | None, batch_lines: int) -> tuple[list[RenderBatch], list[str]]:
    batches = list(iter_render(body, content_type, batch_lines=batch_lines))
    lines: list[str] = []
    for batch in batches:
        if batch.reset:
            lines = []
        lines.extend(batch.lines)
    return batches, lines


def _assert_display_safe(lines: list[str]) -> None:
    """No line breaks (in any sense str.splitlines knows), no terminal controls, no tabs."""
    for line in lines:
        assert line.splitlines() in ([line], []), repr(line)
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in line), repr(line)
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in line), repr(line)


class TestEmpty:
    @pytest.mark.parametrize("content_type", [None, "application/json", "text/plain", "image/png"])
    def test_empty_body(self, content_type: str | None) -> None:
        assert render_body(b"", content_type) == Rendered("empty", [], None, 0)


class TestJson:
    def test_a_message_page_is_indented_like_json_dumps(self) -> None:
        data = _page(3)
        body = _dumps(data)
        rendered = render_body(body, "application/json; charset=utf-8")
        assert (rendered.kind, rendered.note, rendered.size) == ("json", None, len(body))
        assert rendered.lines == _reference(data)

    def test_key_order_is_kept_not_sorted(self) -> None:
        rendered = render_body(b'{"zeta": 1, "alpha": 2, "mid": {"b": 1, "a": 2}}', "application/json")
        assert rendered.lines == [
            "{",
            '  "zeta": 1,',
            '  "alpha": 2,',
            '  "mid": {',
            '    "b": 1,',
            '    "a": 2',
            "  }",
            "}",
        ]

    def test_numbers_keep_their_text(self) -> None:
        body = b"[1.10, 1e400, -0, 0.1e-7, 123456789012345678901234567890123, 2.50E+3, -1.0]"
        rendered = render_body(body, "application/json")
        assert rendered.lines == [
            "[",
            "  1.10,",
            "  1e400,",
            "  -0,",
            "  0.1e-7,",
            "  123456789012345678901234567890123,",
            "  2.50E+3,",
            "  -1.0",
            "]",
        ]

    def test_ints_beyond_pythons_digit_limit_are_exact(self) -> None:
        digits = "9" * 5000  # int() refuses more than 4300 digits by default
        rendered = render_body(f'{{"n": {digits}}}'.encode(), "application/json")
        assert rendered.lines == ["{", f'  "n": {digits}', "}"]

    def test_non_ascii_is_kept_and_escapes_are_decoded(self) -> None:
        body = '{"body": "Olá \\u00e9 🎉 \\ud83c\\udf89", "path": "a\\/b"}'.encode()
        rendered = render_body(body, "application/json")
        assert rendered.lines == ["{", '  "body": "Olá é 🎉 🎉",', '  "path": "a/b"', "}"]

    def test_escapes_that_must_stay_escaped(self) -> None:
        body = b'{"q": "say \\"hi\\"", "bs": "C:\\\\x", "nl": "a\\nb", "tab": "\\t", "nul": "\\u0000"}'
        rendered = render_body(body, "application/json")
        assert rendered.lines[1:-1] == [
            '  "q": "say \\"hi\\"",',
            '  "bs": "C:\\\\x",',
            '  "nl": "a\\nb",',
            '  "tab": "\\t",',
            '  "nul": "\\u0000"',
        ]

    def test_characters_a_terminal_must_not_get_raw_are_escaped(self) -> None:
        # C1 controls (U+009B is CSI), DEL, line separators and lone surrogates, raw or escaped.
        body = '{"raw": "a\u009bb\u007fc\u2028d", "esc": "\\u009b\\ud800"}'.encode()
        rendered = render_body(body, "application/json")
        assert rendered.lines == [
            "{",
            '  "raw": "a\\u009bb\\u007fc\\u2028d",',
            '  "esc": "\\u009b\\ud800"',
            "}",
        ]
        _assert_display_safe(rendered.lines)

    def test_duplicate_keys_are_all_shown(self) -> None:
        rendered = render_body(b'{"a": 1, "a": 2}', "application/json")
        assert rendered.lines == ["{", '  "a": 1,', '  "a": 2', "}"]

    @pytest.mark.parametrize(
        ("body", "lines"),
        [
            (b"{}", ["{}"]),
            (b"[]", ["[]"]),
            (b'  "just text"  ', ['"just text"']),
            (b"42", ["42"]),
            (b"null", ["null"]),
            (b"[[], {}, [[]], [{}]]", ["[", "  [],", "  {},", "  [", "    []", "  ],", "  [", "    {}", "  ]", "]"]),
            (b'{"a": {"b": {"c": {"d": [1]}}}}', _reference({"a": {"b": {"c": {"d": [1]}}}})),
        ],
    )
    def test_shapes(self, body: bytes, lines: list[str]) -> None:
        rendered = render_body(body, "application/json")
        assert (rendered.kind, rendered.lines) == ("json", lines)

    @pytest.mark.parametrize("content_type", ["application/problem+json", "application/vnd.api+json", "text/json"])
    def test_json_suffix_types(self, content_type: str) -> None:
        assert render_body(b'{"a": 1}', content_type).lines == ["{", '  "a": 1', "}"]

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
    def test_utf16_and_utf32_are_detected(self, encoding: str) -> None:
        body = '{"é": "ü"}'.encode(encoding)
        rendered = render_body(body, "application/json")
        assert (rendered.kind, rendered.lines) == ("json", ["{", '  "é": "ü"', "}"])

    def test_the_charset_parameter_is_honoured(self) -> None:
        body = '{"name": "café"}'.encode("latin-1")
        rendered = render_body(body, 'application/json; charset="ISO-8859-1"')
        assert rendered.lines == ["{", '  "name": "café"', "}"]

    @pytest.mark.parametrize(
        "body",
        [
            b'{\n  "a": 1,\n  "b": [1, 2,,]\n}',
            b'{\n  "a": 1\n  "b": 2\n}',
            b'{"a": 1}\n{"b": 2}',
            b'{"a": tru}',
            b'{"a": 1,}',
            b"{a: 1}",
            b"[1, 2",
            b"   ",
            b'{"messages": [{"sid": "SM1"}, {"sid": "SM2",}]}',
            b'{"messages": [{"sid": "SM1"} {"sid": "SM2"}]}',
            b'{"messages" [1]}',
        ],
    )
    def test_invalid_json_is_text_with_the_position(self, body: bytes) -> None:
        with pytest.raises(json.JSONDecodeError) as expected:
            json.loads(body)
        rendered = render_body(body, "application/json")
        assert rendered.kind == "text"
        assert rendered.lines == body.decode().split("\n")
        err = expected.value
        assert rendered.note is not None
        assert rendered.note.startswith(f"invalid JSON at line {err.lineno}, column {err.colno}: ")
        assert rendered.note.endswith("; shown as text")

    def test_the_note_names_the_reason(self) -> None:
        rendered = render_body(b'{\n  "a": 1\n  "b": 2\n}', "application/json")
        assert rendered.note == "invalid JSON at line 3, column 3: expecting ',' delimiter; shown as text"

    def test_not_utf8_json_is_text_with_a_note(self) -> None:
        rendered = render_body(b'{"a": "caf\xe9"}', "application/json")
        assert rendered.kind == "text"
        assert rendered.lines == ['{"a": "caf\ufffd"}']
        assert rendered.note is not None and "not valid UTF-8 at line 1 (byte 10)" in rendered.note

    def test_deep_nesting_falls_back_to_text_without_crashing(self) -> None:
        body = b"[" * 100_000 + b"]" * 100_000
        rendered = render_body(body, "application/json")
        assert rendered.kind == "text"
        assert rendered.note == "JSON nested too deeply to indent; shown as text"
        assert len(rendered.lines) == 1

    def test_batches_add_up_to_the_whole(self) -> None:
        data = _page(200)
        body = _dumps(data)
        batches, lines = _collect(body, "application/json", batch_lines=100)
        assert len(batches) > 10
        assert lines == _reference(data)
        assert all(b.kind == "json" and not b.reset and b.size == len(body) for b in batches)

    def test_invalid_json_found_late_resets_what_was_sent(self) -> None:
        body = _dumps(_page(200))[:-3] + b"!]}"
        batches, lines = _collect(body, "application/json", batch_lines=100)
        resets = [i for i, b in enumerate(batches) if b.reset]
        assert len(resets) == 1 and resets[0] > 0
        assert all(b.kind == "json" for b in batches[: resets[0]])
        assert all(b.kind == "text" for b in batches[resets[0] :])
        assert lines == body.decode().split("\n")
        assert render_body(body, "application/json").lines == lines

    def test_a_consumer_may_stop_early(self) -> None:
        stream = iter_render(_dumps(_page(200)), "application/json", batch_lines=50)
        first = next(stream)
        assert first.lines[:2] == [
            "{",
            f'  "first_page_uri": "/2010-04-01/Accounts/{ACCOUNT}/Messages.json?PageSize=50&Page=0",',
        ]
        stream.close()  # what a cancelled worker does; must not raise

    def test_lines_are_display_safe(self) -> None:
        _assert_display_safe(render_body(_dumps(_page(5)), "application/json").lines)


class TestWindows:
    """The JSON walker and the text splitter see the body 1 MB at a time; shrink the window to a few
    bytes so every value, key, number, escape and multi-byte character gets cut somewhere."""

    DOCS: ClassVar[list[object]] = [
        _page(2),
        {"n": [1, 12, 123456, -0.5, 1e-7, 1.10], "s": 'é🎉 "q" \\ \n', "deep": {"a": [{"b": [None, True]}]}},
        [[1, 2], [], {}, "x" * 40, {"k" * 30: "v"}],
        "just a string with é",
        123456789,
    ]

    @pytest.fixture(params=[1, 2, 3, 5, 8, 64])
    def window(self, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
        size = int(request.param)
        monkeypatch.setattr(render.lines, "CHUNK", size)
        return size

    @pytest.mark.parametrize("doc", range(len(DOCS)))
    def test_output_does_not_depend_on_the_window(self, window: int, doc: int) -> None:
        data = self.DOCS[doc]
        body = json.dumps(data, ensure_ascii=False, indent=1).encode()  # whitespace and newlines to skip
        rendered = render_body(body, "application/json")
        assert (rendered.kind, rendered.note) == ("json", None)
        assert rendered.lines == _reference(data)

    def test_numbers_cut_by_the_window_are_read_whole(self, window: int) -> None:
        assert render_body(b"[123456789, 98765.4321e+10]", "application/json").lines == [
            "[",
            "  123456789,",
            "  98765.4321e+10",
            "]",
        ]
        assert render_body(b"123456789", "application/json").lines == ["123456789"]

    @pytest.mark.parametrize(
        "body",
        [
            b'{\n  "messages": [\n    {"sid": "SM1"},\n    {"sid": "SM2",}\n  ]\n}',
            b'{\n  "a": [1, 2, 3],\n  "b": {"c": "unterminated\n}\n}',
            b"[\n1,\n2,\n3\n4]",
            b'{"a": 1}   \n\n  x',
            b'{"key\n": 1}',
            b"[1, 2, 3",
        ],
    )
    def test_error_positions_do_not_depend_on_the_window(self, window: int, body: bytes) -> None:
        with pytest.raises(json.JSONDecodeError) as expected:
            json.loads(body)
        rendered = render_body(body, "application/json")
        err = expected.value
        assert rendered.kind == "text"
        assert rendered.note is not None
        assert rendered.note.startswith(f"invalid JSON at line {err.lineno}, column {err.colno}: "), rendered.note

    def test_big_containers_are_walked_whatever_their_depth(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """No single C scan covers much more than a window, so the GIL is released between records."""
        window = 4096
        monkeypatch.setattr(render.lines, "CHUNK", window)
        spans: list[int] = []

        def spying_scanner(context: object) -> object:
            scan = make_scanner(context)  # type: ignore[arg-type]

            def spy(text: str, pos: int) -> tuple[object, int]:
                obj, end = scan(text, pos)
                spans.append(end - pos)
                return obj, end

            return spy

        monkeypatch.setattr(render.json_stream, "make_scanner", spying_scanner)
        data = {"data": {"result": [[_message(i) for i in range(150)], [_message(i) for i in range(150)]]}}
        body = _dumps(data)
        assert len(body) > 50 * window
        batches, lines = _collect(body, "application/json", batch_lines=200)
        assert lines == _reference(data)
        assert len(batches) > 20
        assert max(spans) <= 2 * window

    def test_utf16_json_is_checked_for_unsafe_characters_in_every_window(self, window: int) -> None:
        body = '{"a": "plain", "b": "x\u009by", "c": "\\u2028"}'.encode("utf-16")
        assert render_body(body, "application/json").lines == [
            "{",
            '  "a": "plain",',
            '  "b": "x\\u009by",',
            '  "c": "\\u2028"',
            "}",
        ]

    @pytest.mark.parametrize("content_type", ["application/xml", "text/xml; charset=utf-8"])
    def test_xml_does_not_depend_on_the_window(self, window: int, content_type: str) -> None:
        body = '<r a="é">\n  <m>🎉 &amp; ü</m><!-- ç --><e/>\n</r>'.encode()
        assert render_body(body, content_type).lines == [
            '<r a="é">',
            "  <m>🎉 &amp; ü</m>",
            "  <!-- ç -->",
            "  <e/>",
            "</r>",
        ]

    def test_text_lines_do_not_depend_on_the_window(self, window: int) -> None:
        text = "first\r\nsecond é🎉\tx\n\nlast\rcr"
        assert render_body(text.encode(), "text/plain").lines == ["first", "second é🎉       x", "", "last␍cr"]

    def test_invalid_utf8_late_in_the_body(self, window: int) -> None:
        body = b'{"a": "ok", "b": "caf\xe9"}'
        rendered = render_body(body, "application/json")
        assert rendered.kind == "text"
        assert rendered.note is not None and rendered.note == (
            "not valid UTF-8 at line 1 (byte 21); shown as text with replacement characters"
        )


class TestXml:
    def test_twiml_is_indented_with_leaves_on_one_line(self) -> None:
        body = (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Response><Message to="+15558675310" from="a&amp;b"><Body>Hi &lt;there&gt;</Body>'
            b"<Media>https://example.com/a.png</Media></Message><!-- a comment --><Empty/>"
            b"<Pause length='2'></Pause></Response>"
        )
        rendered = render_body(body, "application/xml")
        assert (rendered.kind, rendered.note) == ("xml", None)
        assert rendered.lines == [
            '<?xml version="1.0" encoding="UTF-8"?>',
            "<Response>",
            '  <Message to="+15558675310" from="a&amp;b">',
            "    <Body>Hi &lt;there></Body>",
            "    <Media>https://example.com/a.png</Media>",
            "  </Message>",
            "  <!-- a comment -->",
            "  <Empty/>",
            '  <Pause length="2"/>',
            "</Response>",
        ]

    def test_twilio_xml_error_body(self) -> None:
        body = (
            b'<?xml version="1.0"?>\n<TwilioResponse><RestException><Code>20404</Code>'
            b"<Message>The requested resource was not found</Message>"
            b"<MoreInfo>https://www.twilio.com/docs/errors/20404</MoreInfo><Status>404</Status>"
            b"</RestException></TwilioResponse>"
        )
        assert render_body(body, "text/xml; charset=utf-8").lines == [
            '<?xml version="1.0"?>',
            "<TwilioResponse>",
            "  <RestException>",
            "    <Code>20404</Code>",
            "    <Message>The requested resource was not found</Message>",
            "    <MoreInfo>https://www.twilio.com/docs/errors/20404</MoreInfo>",
            "    <Status>404</Status>",
            "  </RestException>",
            "</TwilioResponse>",
        ]

    def test_namespaces_cdata_mixed_content_and_instructions_are_kept(self) -> None:
        body = (
            b'<s:Envelope xmlns:s="urn:soap"><?render fast?><s:Body><p>Hello <b>world</b> again</p>'
            b"<code><![CDATA[if (a < b) {}]]></code></s:Body></s:Envelope>"
        )
        assert render_body(body, "application/soap+xml").lines == [
            '<s:Envelope xmlns:s="urn:soap">',
            "  <?render fast?>",
            "  <s:Body>",
            "    <p>",
            "      Hello",
            "      <b>world</b>",
            "      again",
            "    </p>",
            "    <code><![CDATA[if (a < b) {}]]></code>",
            "  </s:Body>",
            "</s:Envelope>",
        ]

    def test_multi_line_text_is_reindented_as_a_block(self) -> None:
        body = b"<a>\n        <b>first\n          second\n        third</b>\n</a>"
        assert render_body(body, "text/xml").lines == [
            "<a>",
            "  <b>",
            "    first",
            "      second",
            "    third",
            "  </b>",
            "</a>",
        ]

    def test_entity_bomb_is_never_expanded(self) -> None:
        entities = "".join(
            f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' if i else '<!ENTITY lol0 "lol">' for i in range(10)
        )
        body = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><lolz>&lol9;</lolz>'.encode()
        rendered = render_body(body, "application/xml")
        assert rendered.kind == "text"
        assert rendered.note == "XML with a DOCTYPE is shown as text (entities are never expanded)"
        assert rendered.lines == [body.decode()]

    def test_external_entities_are_not_read(self) -> None:
        body = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
        rendered = render_body(body, "application/xml")
        assert rendered.kind == "text"
        assert rendered.lines == [body.decode()]
        assert not any("root:" in line for line in rendered.lines)

    def test_an_undeclared_entity_is_invalid_xml(self) -> None:
        rendered = render_body(b"<r>&nope;</r>", "application/xml")
        assert (rendered.kind, rendered.note) == (
            "text",
            "invalid XML at line 1, column 4: undefined entity; shown as text",
        )

    def test_invalid_xml_names_line_and_column(self) -> None:
        rendered = render_body(b"<a>\n  <b>\n  </c>\n</a>", "application/xml")
        assert rendered.kind == "text"
        assert rendered.note == "invalid XML at line 3, column 5: mismatched tag; shown as text"
        assert rendered.lines == ["<a>", "  <b>", "  </c>", "</a>"]

    def test_the_header_charset_wins_over_the_declaration(self) -> None:
        body = '<?xml version="1.0" encoding="UTF-8"?><a>café</a>'.encode("latin-1")
        rendered = render_body(body, "text/xml; charset=iso-8859-1")
        assert rendered.lines[1:] == ["<a>café</a>"]

    def test_a_header_charset_the_body_does_not_match(self) -> None:
        rendered = render_body(b"<a>caf\xe9</a>", "text/xml; charset=utf-8")
        assert rendered.kind == "text"
        assert rendered.note == (
            "not valid utf-8 (byte 6); decoded as UTF-8 with replacement characters; shown as text"
        )
        assert rendered.lines == ["<a>caf\ufffd</a>"]

    def test_the_declaration_is_used_without_a_header_charset(self) -> None:
        body = '<?xml version="1.0" encoding="ISO-8859-1"?><a>café</a>'.encode("latin-1")
        assert render_body(body, "application/xml").lines[1:] == ["<a>café</a>"]

    def test_batches_add_up_to_the_whole(self) -> None:
        body = b"<list>" + b"".join(b"<item n='%d'><v>x</v></item>" % i for i in range(30_000)) + b"</list>"
        batches, lines = _collect(body, "application/xml", batch_lines=1000)
        assert len(batches) > 1
        assert lines == render_body(body, "application/xml").lines
        assert len(lines) == 2 + 3 * 30_000

    def test_attribute_values_are_escaped_and_visible(self) -> None:
        rendered = render_body(b'<a t="x&quot;y&#10;z&#9;w" u="&#x9b;"/>', "application/xml")
        assert rendered.lines == ['<a t="x&quot;y&#10;z&#9;w" u="\\u009b"/>']
        _assert_display_safe(rendered.lines)


class TestCsv:
    def test_columns_are_aligned_under_an_underlined_header(self) -> None:
        body = b'Sid,To,Body\r\nSM1,+15558675310,"hello, world"\r\nSM22,+1,"two\nlines"\r\n'
        rendered = render_body(body, "text/csv")
        assert (rendered.kind, rendered.note) == ("csv", None)
        assert rendered.lines == [
            "Sid  │ To           │ Body",
            "─────┼──────────────┼─────────────",
            "SM1  │ +15558675310 │ hello, world",
            "SM22 │ +1           │ two␊lines",
        ]

    def test_ragged_rows_are_padded(self) -> None:
        rendered = render_body(b"a,b,c\n1\n1,2,3,4\n", "text/csv")
        assert rendered.lines == ["a │ b │ c", "──┼───┼───┼──", "1", "1 │ 2 │ 3 │ 4"]

    def test_wide_characters_are_aligned_by_cells(self) -> None:
        rendered = render_body("名前,x\n日本,1\nab,2\n".encode(), "text/csv")
        assert rendered.lines == ["名前 │ x", "─────┼──", "日本 │ 1", "ab   │ 2"]

    def test_long_cells_are_cut_with_a_note(self) -> None:
        long = "x" * (CSV_CELL_MAX + 20)
        rendered = render_body(f"Body,Sid\n{long},SM1\n".encode(), "text/csv")
        assert rendered.lines[2] == "x" * (CSV_CELL_MAX - 1) + "… │ SM1"
        assert rendered.note == f"cells longer than {CSV_CELL_MAX} characters are cut with …"

    def test_wide_long_cells_are_cut_by_cells(self) -> None:
        rendered = render_body(("Body\n" + "日" * CSV_CELL_MAX + "\n").encode(), "text/csv")
        cut = rendered.lines[2]
        assert cut == "日" * ((CSV_CELL_MAX - 1) // 2) + "…"
        assert rendered.lines[1] == "─" * (CSV_CELL_MAX - 1)

    def test_unreadable_csv_is_raw_lines_with_the_reason(self) -> None:
        body = ("Sid,Body\nSM1," + "x" * 200_000 + "\n").encode()  # over csv's field size limit
        rendered = render_body(body, "text/csv")
        assert rendered.kind == "csv"
        assert rendered.lines == body.decode().split("\n")[:-1]
        assert rendered.note is not None
        assert rendered.note.startswith("CSV could not be read (field larger than field limit")

    def test_big_files_are_raw_lines(self) -> None:
        rows = [f"SM{i},+1555{i:07d}" for i in range(CSV_ALIGN_MAX_ROWS + 1)]
        body = ("Sid,To\n" + "\n".join(rows) + "\n").encode()
        rendered = render_body(body, "text/csv")
        assert rendered.kind == "csv"
        assert rendered.lines == ["Sid,To", *rows]
        assert rendered.note == "more than 5,000 rows: columns not aligned"

    def test_exactly_the_limit_is_still_aligned(self) -> None:
        rows = [f"{i},x" for i in range(CSV_ALIGN_MAX_ROWS - 1)]
        rendered = render_body(("n,v\n" + "\n".join(rows)).encode(), "text/csv")
        assert rendered.note is None and rendered.lines[1].startswith("─")


class TestForm:
    def test_pairs_are_percent_decoded_in_order(self) -> None:
        body = b"To=%2B15558675310&From=%2B15005550006&Body=Your+total+is+%245&MediaUrl=a&MediaUrl=b&Empty="
        rendered = render_body(body, "application/x-www-form-urlencoded")
        assert (rendered.kind, rendered.note) == ("form", None)
        assert rendered.lines == [
            "To = +15558675310",
            "From = +15005550006",
            "Body = Your total is $5",
            "MediaUrl = a",
            "MediaUrl = b",
            "Empty = ",
        ]

    def test_utf8_and_newlines(self) -> None:
        rendered = render_body(b"Body=Ol%C3%A1%0Aworld&K%C3%A9y=%E2%9C%93", "application/x-www-form-urlencoded")
        assert rendered.lines == ["Body = Olá␊world", "Kéy = ✓"]

    def test_charset_parameter(self) -> None:
        rendered = render_body(b"name=caf%E9", "application/x-www-form-urlencoded; charset=latin-1")
        assert rendered.lines == ["name = café"]


class TestText:
    def test_charset_from_the_content_type(self) -> None:
        rendered = render_body("café\r\nnaïve\n".encode("cp1252"), "text/plain; charset=windows-1252")
        assert (rendered.kind, rendered.lines, rendered.note) == ("text", ["café", "naïve"], None)

    def test_undecodable_text_gets_replacement_characters_and_a_note(self) -> None:
        rendered = render_body(b"ok\ncaf\xe9\n", "text/plain")
        assert rendered.lines == ["ok", "caf\ufffd"]
        assert rendered.note == "not valid UTF-8 (byte 6); decoded as UTF-8 with replacement characters"

    def test_wrong_charset_that_is_valid_utf8(self) -> None:
        rendered = render_body("✓ done".encode(), "text/plain; charset=ascii")
        assert rendered.lines == ["✓ done"]
        assert rendered.note == "not valid ascii (byte 0); decoded as UTF-8"

    def test_unknown_charset(self) -> None:
        rendered = render_body(b"hello", "text/plain; charset=klingon")
        assert (rendered.lines, rendered.note) == (["hello"], "unknown charset 'klingon'; decoded as UTF-8")

    def test_controls_become_visible_and_tabs_spaces(self) -> None:
        rendered = render_body(b"a\tb\n\x1b[31mred\x1b[0m\nlone\rcr\x00\x7f\nff\x0cvt\x0b", "text/plain")
        assert rendered.lines == ["a       b", "␛[31mred␛[0m", "lone␍cr␀␡", "ff␌vt␋"]
        _assert_display_safe(rendered.lines)

    def test_unicode_line_separators_do_not_split_or_reach_the_terminal(self) -> None:
        rendered = render_body("a\u2028b\u0085c".encode(), "text/plain")
        assert rendered.lines == ["a\\u2028b\\u0085c"]

    def test_trailing_newline_does_not_add_a_line_but_blank_lines_stay(self) -> None:
        assert render_body(b"a\n\nb\n", "text/plain").lines == ["a", "", "b"]
        assert render_body(b"\n", "text/plain").lines == [""]
        assert render_body(b"no newline", "text/html").lines == ["no newline"]

    def test_a_bom_is_dropped(self) -> None:
        assert render_body(codecs.BOM_UTF8 + b"hi", "text/plain").lines == ["hi"]

    def test_large_text_is_split_the_same_in_pieces(self) -> None:
        lines = [f"line {i}\twith tab\r" if i % 7 == 0 else f"line {i}" for i in range(300_001)]
        body = "\n".join(lines).encode()
        assert len(body) > 2 * (1 << 20)
        expected = [
            line.rstrip("\r").expandtabs(8) if i % 7 else line.replace("\r", "").expandtabs(8)
            for i, line in enumerate(lines)
        ]
        rendered = render_body(body, "text/plain")
        assert rendered.lines == expected
        _, batched = _collect(body, "text/plain", batch_lines=7_000)
        assert batched == expected

    @pytest.mark.parametrize("content_type", ["application/javascript", "application/yaml", "text/markdown"])
    def test_textual_types(self, content_type: str) -> None:
        assert render_body(b"x: 1\n", content_type).kind == "text"


class TestBinaryAndSniffing:
    def test_binary_preview_is_xxd_like(self) -> None:
        body = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(32, 50))
        rendered = render_body(body, "image/png")
        assert rendered.kind == "binary"
        assert rendered.lines == [
            "binary body, 34 bytes (image/png; looks like PNG image)",
            "00000000: 8950 4e47 0d0a 1a0a 0000 000d 4948 4452  .PNG........IHDR",
            "00000010: 2021 2223 2425 2627 2829 2a2b 2c2d 2e2f   !\"#$%&'()*+,-./",
            "00000020: 3031                                     01",
        ]

    def test_only_the_first_512_bytes_are_dumped(self) -> None:
        body = bytes(range(256)) * 5
        rendered = render_body(body, "application/octet-stream")
        assert rendered.lines[0] == "binary body, 1,280 bytes (application/octet-stream)"
        assert len(rendered.lines) == 1 + PREVIEW_BYTES // 16 + 1
        assert rendered.lines[-2].startswith("000001f0: f0f1")
        assert rendered.lines[-1] == "… 768 more bytes not shown"

    def test_one_byte(self) -> None:
        assert render_body(b"\xff", None).lines == [
            "binary body, 1 byte (no Content-Type)",
            "00000000: ff" + " " * 39 + ".",
        ]

    def test_json_without_a_type_is_sniffed(self) -> None:
        rendered = render_body(b' {"a": [1]}', None)
        assert (rendered.kind, rendered.note) == ("json", "no Content-Type; shown as JSON")
        assert rendered.lines == ["{", '  "a": [', "    1", "  ]", "}"]

    def test_json_sent_as_octet_stream_is_sniffed(self) -> None:
        rendered = render_body(b"[1]", "application/octet-stream")
        assert (rendered.kind, rendered.note) == ("json", "sent as application/octet-stream; shown as JSON")

    def test_xml_without_a_type_is_sniffed(self) -> None:
        rendered = render_body(b"<a><b/></a>", None)
        assert (rendered.kind, rendered.lines) == ("xml", ["<a>", "  <b/>", "</a>"])
        assert rendered.note == "no Content-Type; shown as XML"

    def test_sniffed_but_invalid_is_text(self) -> None:
        rendered = render_body(b"{not json", None)
        assert rendered.kind == "text" and rendered.lines == ["{not json"]
        assert rendered.note is not None and rendered.note.startswith("invalid JSON at line 1, column 2")

    def test_plain_text_without_a_type_is_text(self) -> None:
        assert render_body(b"OK\n", None) == Rendered("text", ["OK"], None, 3)

    def test_text_with_a_binary_type_stays_binary(self) -> None:
        assert render_body(b"hello", "application/octet-stream").kind == "binary"

    def test_invalid_utf8_or_nul_bytes_are_binary(self) -> None:
        assert render_body(b"\xff\xfe\xfd", None).kind == "binary"
        assert render_body(b"abc\x00def", None).kind == "binary"


class TestJsonTokens:
    def test_a_key_and_string(self) -> None:
        line = '    "bo\\"dy": "a \\"q\\": b, [x]",'
        assert json_tokens(line) == [
            (4, 12, "key"),
            (12, 13, "punct"),
            (14, 31, "string"),
            (31, 32, "punct"),
        ]

    @pytest.mark.parametrize(
        ("line", "kinds"),
        [
            ('  "n": -1.5e10,', [("key", '"n"'), ("punct", ":"), ("number", "-1.5e10"), ("punct", ",")]),
            ("  null", [("literal", "null")]),
            ('  "ok": true', [("key", '"ok"'), ("punct", ":"), ("literal", "true")]),
            ('  "x": {},', [("key", '"x"'), ("punct", ":"), ("punct", "{"), ("punct", "}"), ("punct", ",")]),
            ("  ],", [("punct", "]"), ("punct", ",")]),
            ('  "é🎉": "\\\\"', [("key", '"é🎉"'), ("punct", ":"), ("string", '"\\\\"')]),
            ('  "a": "b\\\\",', [("key", '"a"'), ("punct", ":"), ("string", '"b\\\\"'), ("punct", ",")]),
            ("  1e400,", [("number", "1e400"), ("punct", ",")]),
            ('  "k": "true"', [("key", '"k"'), ("punct", ":"), ("string", '"true"')]),
        ],
    )
    def test_kinds(self, line: str, kinds: list[tuple[str, str]]) -> None:
        assert [(kind, line[start:end]) for start, end, kind in json_tokens(line)] == kinds

    def test_every_rendered_line_is_fully_covered(self) -> None:
        data = {
            'weird "key": [1]': ["a, b", {"k": "v\\", "n": -0.5}, [], {}, None, True, False, 10**30],
            "unicode": "é🎉 \u0000 \\u0041",
            **_message(1),
        }
        for line in render_body(_dumps(data), "application/json").lines:
            spans = json_tokens(line)
            covered = [False] * len(line)
            previous_end = 0
            for start, end, _kind in spans:
                assert start >= previous_end
                previous_end = end
                for i in range(start, end):
                    covered[i] = True
            assert all(covered[i] or line[i] == " " for i in range(len(line))), line


class TestSearch:
    LINES: ClassVar[list[str]] = ["alpha", "Beta", "gamma", "beta max", "delta"]

    def test_forward_from_start_inclusive(self) -> None:
        assert search(self.LINES, "beta") == 1
        assert search(self.LINES, "beta", start=1) == 1
        assert search(self.LINES, "beta", start=2) == 3

    def test_forward_wraps_around(self) -> None:
        assert search(self.LINES, "beta", start=4) == 1
        assert search(self.LINES, "alpha", start=1) == 0

    def test_backwards_wraps_around(self) -> None:
        assert search(self.LINES, "beta", start=2, backwards=True) == 1
        assert search(self.LINES, "beta", start=0, backwards=True) == 3
        assert search(self.LINES, "delta", start=3, backwards=True) == 4

    def test_case(self) -> None:
        assert search(self.LINES, "BETA MAX") == 3
        assert search(self.LINES, "Beta", start=2, case_sensitive=True) == 1
        assert search(self.LINES, "BETA", case_sensitive=True) is None

    def test_no_match_empty_needle_or_no_lines(self) -> None:
        assert search(self.LINES, "omega") is None
        assert search(self.LINES, "") is None
        assert search([], "a") is None

    def test_start_out_of_range_wraps(self) -> None:
        assert search(self.LINES, "gamma", start=7) == 2
        assert search(self.LINES, "delta", start=-1, backwards=True) == 4

    def test_needle_is_literal_not_a_pattern(self) -> None:
        lines = ["a.c", "abc", "(x)", "[y]"]
        assert search(lines, "a.c", start=1) == 0
        assert search(lines, "(x)") == 2
        assert search(lines, "[Y]") == 3

    def test_searches_rendered_json(self) -> None:
        lines = render_body(_dumps(_page(3)), "application/json").lines
        first = search(lines, '"status": "delivered"')
        assert first is not None
        second = search(lines, '"status": "delivered"', start=first + 1)
        assert second is not None and second > first
        assert search(lines, "SM" + "0" * 31 + "2") == lines.index(f'      "sid": "SM{2:032x}",')
