"""The Auth Token that signs webhooks, from a profile: never an API key secret."""

from __future__ import annotations

import os

from twibench.cli.common import command_secrets
from twibench.errors import TwibenchError
from twibench.profiles import Profile, resolve_secret
from twibench.sending import PromptedSecrets


class SigningTokenError(TwibenchError):
    """No Auth Token is available to sign or check webhooks (exit 2)."""


def signing_token(profile: Profile, auth_token_env: str | None = None, secrets: PromptedSecrets | None = None) -> str:
    """The account's Auth Token for signatures.

    An Auth Token profile's own secret signs; an API Key profile cannot (Twilio signs webhooks with the
    account's primary Auth Token), so the token must come from `--auth-token-env NAME`.

    Raises:
        SigningTokenError: an API Key profile without `--auth-token-env`, or the variable is unset.
        ProfileError: the profile's own secret cannot be read.
    """
    if auth_token_env:
        value = os.environ.get(auth_token_env, "")
        if not value:
            raise SigningTokenError(f"${auth_token_env} is not set; export the account's Auth Token in it")
        return value
    if profile.kind != "auth_token":
        raise SigningTokenError(
            f"profile '{profile.name}' is an API Key profile, but Twilio signs webhooks with the account's "
            "Auth Token, never an API key secret; pass --auth-token-env NAME with the Auth Token in $NAME"
        )
    return resolve_secret(profile, secrets or command_secrets())
