"""Walk a call's TwiML as Twilio would: what the caller hears, which URLs are fetched, how the call ends.

`Say`, `Play` and `Pause` advance a simulated clock; `Gather` posts the digits the user chose to its
`action` (or, with none, times out and goes on to the next verb, as Twilio does); `Redirect` fetches a new
document; `Hangup` and `Reject` end the call; `Dial`, `Record` and the other verbs are noted in the
transcript, not simulated. Reaching the end of a document hangs up. The walk is bounded (fetches and
steps), so a loop of redirects ends with a clear line instead of running forever.

The walk takes a `fetch` function, so `twibench webhook voice` (the app over HTTP) and the sandbox's
calls use the same rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urljoin

from twibench.webhooks import twiml
from twibench.webhooks.simulate import Answer

MAX_FETCHES = 10
MAX_STEPS = 200
WORDS_PER_SECOND = 2.5
PLAY_SECONDS = 5.0  # the walk cannot know a recording's length

Fetch = Callable[[str, Literal["POST", "GET"], list[tuple[str, str]]], Answer]


@dataclass
class Transcript:
    """What happened on the call.

    Attributes:
        lines: one line per step, with the simulated time (`0:03 says 'Press 1'`).
        fetches: every answer fetched, in order (the first is the call's URL).
        seconds: the simulated call length.
        ended: how it ended: "completed" (hung up or ran out of TwiML), or "failed" (the app's answer
            could not be used).
        error_code: the Twilio error of a failed fetch, or None.
    """

    lines: list[str] = field(default_factory=list)
    fetches: list[Answer] = field(default_factory=list)
    seconds: float = 0.0
    ended: Literal["completed", "failed"] = "completed"
    error_code: int | None = None

    def say(self, text: str) -> None:
        """Add a line stamped with the simulated clock."""
        minutes, seconds = divmod(int(self.seconds), 60)
        self.lines.append(f"{minutes}:{seconds:02d} {text}")


def _seconds(value: str | None, default: float) -> float:
    try:
        return max(0.0, float(value)) if value is not None else default
    except ValueError:
        return default


def _method(node: twiml.Node) -> Literal["POST", "GET"]:
    return "GET" if node.attributes.get("method", "POST").upper() == "GET" else "POST"


def walk(
    fetch: Fetch,
    url: str,
    params: list[tuple[str, str]],
    digits: str | Sequence[str] | None = None,
    method: Literal["POST", "GET"] = "POST",
) -> Transcript:
    """Fetch the call's TwiML at `url` and walk it (see the module docstring).

    Args:
        fetch: sends one signed request to the app and judges the answer (voice grammar).
        url: the call's `Url` (or the number's `VoiceUrl`).
        params: the voice parameters Twilio sends with every request of the call.
        digits: what the caller presses at the first `<Gather>`, or a list: one entry per `<Gather>` in
            turn (None, or the list used up: the caller presses nothing).
        method: how the first document is fetched (the number's `VoiceMethod`).
    """
    t = Transcript()
    presses = [digits] if isinstance(digits, str) else list(digits or [])
    pending: tuple[str, Literal["POST", "GET"], list[tuple[str, str]]] | None = (url, method, params)
    steps = 0
    while pending is not None:
        if len(t.fetches) >= MAX_FETCHES:
            t.say(f"stops: more than {MAX_FETCHES} documents fetched (a redirect loop?)")
            return t
        target, method, extra = pending
        pending = None
        answer = fetch(target, method, extra)
        t.fetches.append(answer)
        if target.startswith("("):  # a document given inline, e.g. a call's `Twiml` parameter
            t.say(f"reads the {target.strip('()')}")
        else:
            t.say(f"fetches {method} {target} → {answer.status if answer.status is not None else 'no answer'}")
        if not answer.ok or answer.report is None or answer.report.root is None:
            if answer.ok and answer.content_type.startswith("audio/"):
                t.say("plays the audio the app answered")
                t.seconds += PLAY_SECONDS
                break
            t.ended, t.error_code = "failed", answer.error_code
            t.say(f"fails: {answer.error}")
            return t
        for node in answer.report.root.children:
            steps += 1
            if steps > MAX_STEPS:
                t.say(f"stops: more than {MAX_STEPS} verbs")
                return t
            name = node.name
            if name == "Say":
                text = " ".join((node.text + " ".join(c.text for c in node.children)).split())
                loops = max(1, int(_seconds(node.attributes.get("loop"), 1)))  # loop="0" (forever) counts once
                t.say(f"says {text!r}" + (f" ×{loops}" if loops > 1 else ""))
                t.seconds += loops * max(1.0, len(text.split()) / WORDS_PER_SECOND)
            elif name == "Play":
                t.say(f"plays {node.text.strip() or '(digits ' + node.attributes.get('digits', '') + ')'}")
                t.seconds += PLAY_SECONDS
            elif name == "Pause":
                length = _seconds(node.attributes.get("length"), 1.0)
                t.say(f"pauses {length:g} s")
                t.seconds += length
            elif name == "Gather":
                for child in node.children:
                    if child.name in ("Say", "Play"):
                        t.say(f"  prompt: {' '.join(child.text.split())!r}")
                        t.seconds += max(1.0, len(child.text.split()) / WORDS_PER_SECOND)
                action = urljoin(target, node.attributes.get("action", "")) if node.attributes.get("action") else target
                if presses:
                    pressed = presses.pop(0)
                    t.say(f"caller presses {pressed}; posts Digits to {action}")
                    pending = (action, _method(node), [*params, ("Digits", pressed), ("FinishedOnKey", "")])
                    break
                timeout = _seconds(node.attributes.get("timeout"), 5.0)
                t.seconds += timeout
                t.say(f"gathers: no input after {timeout:g} s, goes on")
                if node.attributes.get("actionOnEmptyResult") == "true":
                    pending = (action, _method(node), list(params))
                    break
            elif name == "Redirect":
                target_url = urljoin(target, node.text.strip())
                t.say(f"redirects to {target_url}")
                pending = (target_url, _method(node), list(params))
                break
            elif name in ("Hangup", "Reject"):
                reason = f" ({node.attributes['reason']})" if name == "Reject" and "reason" in node.attributes else ""
                t.say(("hangs up" if name == "Hangup" else "rejects the call") + reason)
                return t
            else:
                detail = " ".join(" ".join(c.text.split()) for c in node.children) or " ".join(node.text.split())
                t.say(f"<{name}>{' ' + detail if detail else ''} (noted, not simulated)")
        else:
            t.say("reaches the end of the TwiML and hangs up")
    return t
