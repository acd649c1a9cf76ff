"""Redaction: secrets masked in every encoding, Authorization masked, Twilio secret fields masked."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from twibench.redact import MASK, Redactor, mask_sid

AC = "AC0123456789abcdef0123456789abcdef"
SECRET = "s3cr3t/with+chars&="


def test_secret_in_clear_urlencoded_and_base64_forms() -> None:
    r = Redactor([(AC, SECRET)])
    token = base64.b64encode(f"{AC}:{SECRET}".encode()).decode()
    text = f"a {SECRET} b {quote(SECRET, safe='')} c {quote_plus(SECRET)} d {token}"
    out = r.text(text)
    assert SECRET not in out and quote(SECRET, safe="") not in out and token not in out
    assert out.count(MASK) == 4


def test_authorization_header_shows_masked_user() -> None:
    r = Redactor()
    token = base64.b64encode(f"{AC}:{SECRET}".encode()).decode()
    assert r.header("Authorization", f"Basic {token}") == f"Basic AC01…cdef:{MASK}"
    assert r.header("authorization", "Bearer abc.def") == f"Bearer {MASK}"
    assert r.header("Accept", "application/json") == "application/json"


def test_twilio_json_secret_fields() -> None:
    body = b'{"sid": "SK1", "secret": "abc\\"def", "auth_token": "0123", "friendly_name": "secret"}'
    out = Redactor().body(body)
    assert out == f'{{"sid": "SK1", "secret": "{MASK}", "auth_token": "{MASK}", "friendly_name": "secret"}}'.encode()
    assert Redactor(mask_json_fields=False).body(body) == body


def test_binary_body_masks_clear_needles() -> None:
    r = Redactor(secrets=["captured-secret"])
    body = b"\xff\xfe captured-secret \x00"
    assert b"captured-secret" not in r.body(body)


def test_short_values_are_not_needles() -> None:
    r = Redactor(secrets=["ab"])
    assert r.text("abc ab") == "abc ab"


def test_mask_sid() -> None:
    assert mask_sid(AC) == "AC01…cdef"
    assert mask_sid("short") == MASK


# --- masking follows the value (issue 10) -------------------------------------------------------------

KEY_SECRET = "Xk9/fake+Secret=Value&more 42é"


def test_every_form_of_a_known_secret_is_masked() -> None:
    from tests.security.scanner import secret_forms

    r = Redactor(secrets=[KEY_SECRET])
    for form, data in secret_forms(KEY_SECRET).items():
        text = f'{{"note": "a {data.decode()} b"}}'
        out = r.text(text)
        assert data.decode() not in out, form
        assert MASK in out, form


def test_secret_fields_of_the_specs_are_masked_in_json() -> None:
    body = (
        b'{"sid": "AC1", "auth_token": "tok-0123456789", "secondary_auth_token": "sec-0123456789",'
        b' "username": "u", "password": "pw-0123456789", "ice_servers": [{"url": "turn:x",'
        b' "credential": "cred-0123456789", "username": "u"}], "next_page_token": "PAabc", "token_type": "x"}'
    )
    out = Redactor().body(body).decode()
    for value in ("tok-0123456789", "sec-0123456789", "pw-0123456789", "cred-0123456789"):
        assert value not in out
    assert '"next_page_token": "PAabc"' in out and '"token_type": "x"' in out and '"username": "u"' in out


def test_keys_in_xml_and_csv_are_masked_and_the_value_followed() -> None:
    from twibench.sandbox.representation import render

    secret = "keysecret0123456789abcdef01234567"
    payload = {"sid": "SK0123", "friendly_name": "k", "secret": secret}
    r = Redactor()
    xml = r.body(render(payload, "xml", "Key", None), "application/xml").decode()
    assert secret not in xml and f"<Secret>{MASK}</Secret>" in xml
    csv_body = render(payload, "csv", "Key", None)
    assert secret not in Redactor().body(csv_body, "text/csv").decode()
    assert secret not in Redactor().body(csv_body).decode()  # sniffed from the header row
    # The value, once seen in a field, is masked anywhere else and in any form.
    assert r.text(f"echo {secret} {base64.b64encode(secret.encode()).decode()}") == f"echo {MASK} {MASK}"


def test_nested_truncated_cdata_attribute_and_form_fields() -> None:
    r = Redactor()
    assert "abcdef012345" not in r.text('{"body": "{\\"auth_token\\": \\"abcdef012345\\"}"}')
    assert r.text('{"a": 1, "auth_token": "abcdef0123') == f'{{"a": 1, "auth_token": "{MASK}'
    assert "abcdef012345" not in r.text("<AuthToken><![CDATA[abcdef012345]]></AuthToken>")
    assert "abcdef012345" not in r.text('<Key Secret="abcdef012345"/>')
    form = r.text("FriendlyName=x&Password=hunter2&SipAuthPassword=p%2Fw&PageToken=PA12")
    assert form == f"FriendlyName=x&Password={MASK}&SipAuthPassword={MASK}&PageToken=PA12"


def test_csv_json_cells_and_secret_columns() -> None:
    cell = '[{""credential"": ""turnsecret123"", ""url"": ""turn:x""}]'
    body = f'sid,ice_servers,password\r\nNK1,"{cell}",pw-0123456789\r\n'.encode()
    out = Redactor().body(body, "text/csv").decode()
    assert "turnsecret123" not in out and "pw-0123456789" not in out and out.startswith("sid,ice_servers,password")


def test_secret_headers_and_new_key_on_screen() -> None:
    assert Redactor().header("X-Auth-Token", "abc") == MASK
    body = b'{"secret": "shown-once-0123456789"}'
    assert Redactor(mask_json_fields=False).body(body) == body


def test_short_profile_secrets_are_refused() -> None:
    from twibench.redact import short_secret_error

    message = short_secret_error("live", "auth_token", "abcd")
    assert message is not None and "live" in message and "auth_token" in message and "abcd" not in message
    assert short_secret_error("live", "auth_token", "x" * 32) is None


def test_profiles_refuse_secrets_too_short_to_mask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    from twibench import profiles
    from twibench.errors import FileErrors

    monkeypatch.setenv("TWIBENCH_HOME", str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "twibench", "profiles", "add", "tiny", "--account-sid", AC, "--secret-stdin"],
        input="abcd\n", capture_output=True, text=True, check=False,
        env={"TWIBENCH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 2
    assert "profile 'tiny': --secret-stdin is 4 characters" in result.stderr and "abcd" not in result.stderr
    assert not (tmp_path / "config" / "profiles.yaml").exists()
    path = profiles.paths.profiles_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"profiles:\n  tiny:\n    account_sid: {AC}\n    auth_token: abcd\n")
    path.chmod(0o600)
    with pytest.raises(FileErrors) as info:
        profiles.load_profiles(environ={})
    assert "profile 'tiny': auth_token is 4 characters" in str(info.value.errors[0])
    path.write_text(f"profiles:\n  tiny:\n    account_sid: {AC}\n    auth_token: {{env: TINY}}\n")
    tiny = profiles.load_profiles(environ={}).get("tiny")
    with pytest.raises(profiles.ProfileError, match=r"profile 'tiny': \$TINY is 4 characters"):
        profiles.resolve_secret(tiny, environ={"TINY": "abcd"})


def test_mask_values_masks_clear_secrets_only_and_leaves_secret_fields_for_the_screen() -> None:
    from twibench.redact import MASK

    secret = "c1ear-s3cret-value-0123456789"
    body = f'{{"echo": "{secret}", "secret": "new-key-secret-shown-once"}}'.encode()
    masked = Redactor(secrets=[secret]).mask_values(body)
    assert secret.encode() not in masked and MASK.encode() in masked
    assert b"new-key-secret-shown-once" in masked  # Twilio shows a new key's secret once; so does the TUI


def test_the_stored_redactor_keeps_a_recorded_authorization() -> None:
    from twibench.redact import StoredRedactor, holds_mask

    recorded = "Basic AC01…cdef:••••"
    assert StoredRedactor().header("Authorization", recorded) == recorded
    assert holds_mask(None, [("Authorization", recorded)]) and not holds_mask("To=%2B1", [])


def test_only_redact_masks_secrets_in_the_tui_and_the_workbench() -> None:
    import ast
    from pathlib import Path

    import twibench

    root = Path(twibench.__file__).parent
    offenders = []
    for folder in ("tui", "workbench"):
        for path in (root / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and any(a.name == "MASK" for a in node.names):
                    offenders.append(str(path.relative_to(root)))
                if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") == "Redactor" for b in node.bases):
                    offenders.append(str(path.relative_to(root)))
                if isinstance(node, ast.Constant) and node.value == "••••":
                    offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_a_long_text_is_masked_in_steps_exactly_as_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    import random
    from urllib.parse import quote

    from twibench import redact

    secret = "Zq8-secret-value-0123456789abcd"
    user = "AC0123456789abcdef0123456789abcdef"
    forms = [
        secret,
        quote(secret, safe=""),
        "".join(f"\\u{ord(c):04x}" for c in secret),
        "".join(f"&#{ord(c)};" for c in secret),
        base64.b64encode(f"{user}:{secret}".encode()).decode(),
        secret.encode().hex(),
    ]
    rng = random.Random(11)
    pieces = []
    for _ in range(300):
        pieces.append("".join(rng.choice('ab{}":,%&\\ ') for _ in range(rng.randrange(0, 40))))
        pieces.append(rng.choice(forms))
    text = "".join(pieces)
    whole = Redactor([(user, secret)]).text(text)
    assert secret not in whole
    monkeypatch.setattr(redact, "SCAN_STEP", 37)  # many steps, secrets across every kind of boundary
    monkeypatch.setattr(redact, "SCAN_OVERLAP", 400)
    assert Redactor([(user, secret)]).text(text) == whole
