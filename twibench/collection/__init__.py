"""Collections (DESIGN §2): the model, loading with located errors, the rules of the format, writing.

The package's public face is the model and loading (`from twibench.collection import Collection, Request,
load_paths`). The writer (`twibench.collection.writer`) is imported by name where a file is saved: it
loads ruamel.yaml, which start-up never needs.
"""

from twibench.collection.model import (
    DURATION_HINT,
    METHODS,
    Auth,
    Collection,
    LoadResult,
    Pairs,
    Request,
    RequestRefError,
    collection_files,
    find_request,
    load_collection,
    load_paths,
    parse_collection,
    parse_duration,
    slug,
)

__all__ = [
    "DURATION_HINT",
    "METHODS",
    "Auth",
    "Collection",
    "LoadResult",
    "Pairs",
    "Request",
    "RequestRefError",
    "collection_files",
    "find_request",
    "load_collection",
    "load_paths",
    "parse_collection",
    "parse_duration",
    "slug",
]
