"""Writing a set of imported collection files: all checked first, none overwritten unless asked.

An import that writes half its files and then fails leaves a confusing folder behind, so every file is
dumped and read back (`parse_collection`, the loader `twibench check` uses) before the first one is
written, and existing files stop the import unless the user passed `--force`.
"""

from __future__ import annotations

from pathlib import Path

from twibench.collection import Collection, parse_collection
from twibench.errors import FileErrors, TwibenchError


class ExistingFilesError(TwibenchError):
    """The import would replace existing files; nothing was written."""


def write_collections(collections: list[Collection], out_dir: Path, *, overwrite: bool = False) -> list[Path]:
    """Write each collection to its `path` (under `out_dir`), atomically, after checking all of them.

    Raises:
        ExistingFilesError: `out_dir` is a file, or a target exists and `overwrite` is false.
        SaveError: a file would not load back (nothing is written).
    """
    from twibench.atomic import write_atomic
    from twibench.collection.writer import SaveError, dump_collection

    if out_dir.exists() and not out_dir.is_dir():
        raise ExistingFilesError(f"{out_dir} is a file; -o expects a folder for the collection files")
    existing = [c.path for c in collections if c.path.exists()]
    if existing and not overwrite:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise ExistingFilesError(f"{existing[0]}{more} already exists; use --force to replace it")
    texts: list[tuple[Path, str]] = []
    for collection in collections:
        text = dump_collection(collection)
        try:
            parse_collection(text, collection.path)
        except FileErrors as exc:
            problem = exc.errors[0]
            raise SaveError(f"{collection.path}: nothing was written, because it would not load: {problem}") from None
        texts.append((collection.path, text))
    for path, text in texts:
        write_atomic(path, text)
    return [path for path, _ in texts]
