"""The sandbox's fixed, documented credentials (they are not secrets: they only open the local sandbox)."""

ACCOUNT_SID = "ACba5eba11ba5eba11ba5eba11ba5eba11"
AUTH_TOKEN = "5a4db0c5a4db0c5a4db0c5a4db0c5a4d"  # noqa: S105 (documented, sandbox-only)
TEST_ACCOUNT_SID = "AC7e57c0de7e57c0de7e57c0de7e57c0de"
TEST_AUTH_TOKEN = "7e57c0de7e57c0de7e57c0de7e57c0de"  # noqa: S105 (documented, sandbox-only)
PHONE_NUMBER = "+15005550006"
