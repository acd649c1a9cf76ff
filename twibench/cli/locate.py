"""`twibench locate`: where twibench keeps each of its files (printed even before the file exists)."""

from __future__ import annotations

from twibench.cli.common import EXIT_OK
from twibench.cli.parser import Parser


def main(argv: list[str]) -> int:
    """Print the profiles, settings, history, collections and cache locations, one per line."""
    Parser(prog="twibench locate").parse_args(argv)
    from twibench import paths

    print(f"profiles: {paths.profiles_file()}")
    print(f"settings: {paths.settings_file()}")
    print(f"history: {paths.history_db()}")
    print(f"collections: {paths.collections_dir()}")
    print(f"cache: {paths.cache_dir()}")
    return EXIT_OK
