"""Collections (DESIGN §2): the model, loading with located errors, the rules of the format, writing.

The package's public face is the model and loading (`from twibench.collection import Collection, Request,
load_paths`). Inside: `model` (the dataclasses, typed runner keys, durations), `load` (files, folders,
`FILE#ID`), `schema` with `checks` and `runner_keys` (the rules, each problem located), `writer` (whole
files, or one request in place). The writer is imported by name where a file is saved: it loads
ruamel.yaml, which start-up never needs.
"""

from twibench.collection.load import (
    LoadResult,
    RequestRefError,
    collection_files,
    find_request,
    load_collection,
    load_paths,
    parse_collection,
)
from twibench.collection.model import (
    DURATION_HINT,
    METHODS,
    Auth,
    Collection,
    Expect,
    Paginate,
    Pairs,
    Poll,
    Request,
    Retry,
    parse_duration,
    slug,
)

__all__ = [
    "DURATION_HINT",
    "METHODS",
    "Auth",
    "Collection",
    "Expect",
    "LoadResult",
    "Paginate",
    "Pairs",
    "Poll",
    "Request",
    "RequestRefError",
    "Retry",
    "collection_files",
    "find_request",
    "load_collection",
    "load_paths",
    "parse_collection",
    "parse_duration",
    "slug",
]
