"""Print how many lines of a hand-written profiles.yaml each profile save changes: rewritten vs edited.

Why: "saves are exact" is a promise about diffs, so this is its measurement. For each operation on a file
with comments, quoting, flow mappings and blank lines, it counts the changed lines (removed + added) of a
whole-file rewrite (what saving did before: `profiles_save.new_document`) and of today's `save_profiles`,
and the time one save takes. Run: `python bench/profile_saves.py`.
"""

from __future__ import annotations

import dataclasses
import difflib
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from twibench import profiles, profiles_save
from twibench.profiles import Profile, ProfileSet, SecretRef

AC = "AC0123456789abcdef0123456789abcdef"
SK = "SK0123456789abcdef0123456789abcdef"
TEXT = f"""# twibench profiles — written by hand
default: work   # the one I use most

profiles:
  # the main account
  work:
    account_sid: "{AC}"   # quoted on purpose
    auth_token: {{env: WORK_TOKEN}}   # exported by direnv
    region: 'ie1'

  keyed:
      account_sid: {AC}
      api_key: {SK}
      api_secret: {{ keyring: twibench }}
      variables:
        from: "+15005550006"   # the magic number
        page: 20

  local: {{account_sid: {AC}, auth_token: {{prompt: true}}, base_url: "http://127.0.0.1:8099"}}
"""


def _rename(ps: ProfileSet) -> None:
    ps.profiles["main"] = dataclasses.replace(ps.profiles.pop("work"), name="main")
    ps.default = "main"


def _add(ps: ProfileSet) -> None:
    ps.profiles["new"] = Profile(name="new", kind="auth_token", account_sid=AC, username=AC, secret=SecretRef(env="N"))


OPERATIONS: dict[str, Callable[[ProfileSet], None]] = {
    "add a profile": _add,
    "remove a profile": lambda ps: ps.profiles.pop("local") and None,
    "rename the default profile": _rename,
    "edit a variable": lambda ps: ps.profiles["keyed"].variables.update(page="5"),
    "change a secret source": lambda ps: setattr(ps.profiles["work"], "secret", SecretRef(keyring="twibench")),
    "set the default": lambda ps: setattr(ps, "default", "local"),
}


def changed_lines(before: str, after: str) -> int:
    """Removed plus added lines between two texts."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return sum(1 for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---")))


def main() -> None:
    """Print one row per operation: lines changed by a rewrite, by today's save, and the save's time."""
    print(f"{'operation':28} {'rewrite':>8} {'exact':>6} {'ms':>6}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "profiles.yaml"
        for name, change in OPERATIONS.items():
            path.write_text(TEXT)
            profile_set = profiles.load_profiles(path, {})
            change(profile_set)
            rewrite = profiles_save.new_document({p.name: p for p in profile_set.user_profiles()}, profile_set.default)
            started = time.perf_counter()
            profiles.save_profiles(profile_set, path)
            elapsed = (time.perf_counter() - started) * 1000
            exact = changed_lines(TEXT, path.read_text())
            print(f"{name:28} {changed_lines(TEXT, rewrite):>8} {exact:>6} {elapsed:>6.1f}")


if __name__ == "__main__":
    main()
