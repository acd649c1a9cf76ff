"""Twilio-shaped errors: `{code, message, more_info, status}` bodies raised from anywhere in a handler.

Codes follow Twilio's error dictionary. Where Twilio documents no code for a protocol-level problem
(an unreadable body, one too large, a content type it cannot parse), the sandbox uses codes of its own
in Twilio's "20 + HTTP status" family (20400, 20413, 20415), documented as sandbox-only.
"""

from __future__ import annotations

from typing import Any

MORE_INFO = "https://www.twilio.com/docs/errors/{code}"

# Sandbox-only codes (see the module docstring).
BAD_REQUEST = 20400
TOO_LARGE = 20413
UNSUPPORTED_MEDIA_TYPE = 20415

AUTH_DETAIL = "Your AccountSid or AuthToken was incorrect."


class ApiError(Exception):
    """An error answer: HTTP status, Twilio error code, message and any extra headers."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        detail: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The JSON body Twilio sends for this error."""
        body: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "more_info": MORE_INFO.format(code=self.code),
            "status": self.status,
        }
        if self.detail is not None:
            body["detail"] = self.detail
        return body


def bad_request(code: int, message: str) -> ApiError:
    """A 400 with a Twilio validation code (21604, 21211, …)."""
    return ApiError(400, code, message)


def unauthorized(detail: str = AUTH_DETAIL) -> ApiError:
    """401/20003 with the `WWW-Authenticate` challenge Twilio sends."""
    return ApiError(401, 20003, "Authenticate", detail=detail, headers={"WWW-Authenticate": 'Basic realm="Twilio API"'})


def not_found(path: str) -> ApiError:
    """404/20404, naming the path as Twilio does."""
    return ApiError(404, 20404, f"The requested resource {path} was not found")


def not_implemented(path: str) -> ApiError:
    """404/20404 for a path no bundled API spec has: say the sandbox does not implement it, and what to do."""
    return ApiError(
        404,
        20404,
        f"The requested resource {path} was not found: the sandbox implements no operation at this path; "
        "check the URL against the Docs tab, or switch to a live profile",
    )


def method_not_allowed(method: str, allowed: list[str]) -> ApiError:
    """405/20004 with an `Allow` header listing what the resource accepts."""
    return ApiError(405, 20004, f"Method not allowed: {method}", headers={"Allow": ", ".join(allowed)})


def test_credentials_forbidden() -> ApiError:
    """403/20008: Twilio's test credentials can only create messages."""
    return ApiError(403, 20008, "Resource not accessible with Test Account Credentials")


def invalid_parameter(message: str) -> ApiError:
    """400 with the sandbox's own code for a parameter it cannot accept (see the module docstring)."""
    return ApiError(400, BAD_REQUEST, message)
