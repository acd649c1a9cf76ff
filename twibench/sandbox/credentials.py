"""The sandbox's fixed, documented credentials (they are not secrets: they only open the local sandbox)."""

ACCOUNT_SID = "ACba5eba11ba5eba11ba5eba11ba5eba11"
AUTH_TOKEN = "5a4db0c5a4db0c5a4db0c5a4db0c5a4d"  # noqa: S105 (documented, sandbox-only)
TEST_ACCOUNT_SID = "AC7e57c0de7e57c0de7e57c0de7e57c0de"
TEST_AUTH_TOKEN = "7e57c0de7e57c0de7e57c0de7e57c0de"  # noqa: S105 (documented, sandbox-only)
PHONE_NUMBER = "+15005550006"

# Fixed SIDs of the resources every sandbox starts with (documented, so collections can use them
# without capturing anything first).
PHONE_NUMBER_SID = "PNba5eba11ba5eba11ba5eba11ba5eba11"
"""The IncomingPhoneNumber resource holding PHONE_NUMBER."""
WELCOME_MESSAGE_SID = "MMba5eba11ba5eba11ba5eba11ba5eba11"
"""An inbound MMS the sandbox account has received; its media shows the 302 media redirect."""
WELCOME_MEDIA_SID = "MEba5eba11ba5eba11ba5eba11ba5eba11"
"""The one Media resource of WELCOME_MESSAGE_SID."""
DELETABLE_MESSAGE_SID = "SMde1e7ed0de1e7ed0de1e7ed0de1e7ed0"
"""A magic Message SID: DELETE on it always answers 204 (like a magic number, it has no state)."""
