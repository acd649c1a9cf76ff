"""Import an OpenAPI 3.0/3.1 document as collection files: one file per resource, one request per operation.

Choices, so an imported folder reads like the shipped collections:
- **Grouping**: by the first resource segment of the path, after the version (`2010-04-01`, `v1`) and,
  for Twilio's 2010 API, after `Accounts/{AccountSid}`: `…/Messages.json` and `…/Messages/{Sid}/Media`
  both land in `messages.yaml`; `/v1/Services/{ServiceSid}/PhoneNumbers` in `services.yaml`.
- **Variables**: `{AccountSid}` becomes `{{account_sid}}` (the profile fills it in). A `{…Sid}` after a
  resource segment is named after that resource, so `Messages/{Sid}` and `Messages/{MessageSid}/Media`
  share `{{message_sid}}`, and `Services/{Sid}` and `Services/{ChatServiceSid}/Bindings` share
  `{{service_sid}}`; other path parameters become their snake_case name (`{PhoneNumber}` →
  `{{phone_number}}`).
- **Parameters**: required ones are pre-filled — with the spec's example or first enum value, a realistic
  value for well-known formats (phone numbers, URLs, dates, booleans, numbers), else a `{{snake_case}}`
  variable that `send` asks for by name. Optional ones are listed in the request's description.
- **URLs**: a path when the server is https://api.twilio.com (so the profile's region or the sandbox
  applies), else absolute (https://messaging.twilio.com/v1/Services).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twibench.collection import Collection, Pairs, Request
from twibench.importers import workflow
from twibench.importers.naming import UniqueFiles, UniqueNames, clean_name
from twibench.spec.openapi import (
    OperationDoc,
    ParameterDoc,
    SpecError,
    humanize,
    load_document,
    mapping_of,
    read_operations,
    snake_case,
    split_words,
)
from twibench.spec.urls import TWILIO_API_BASE

__all__ = ["OpenApiImport", "SpecError", "build_collections", "bundled_specs", "import_bundled", "import_openapi"]

_VERSION = re.compile(r"^(?:\d{4}-\d{2}-\d{2}|v\d+(?:\.\d+)?(?:beta|alpha)?)$", re.IGNORECASE)
_PARAM = re.compile(r"\{([^{}/]+)\}")
_FORMAT_VALUES = {
    "phone-number": "+15558675310",
    "uri": "https://example.com",
    "url": "https://example.com",
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "iso-country-code": "US",
    "email": "user@example.com",
}


@dataclass
class OpenApiImport:
    """What an import wrote."""

    files: list[Path] = field(default_factory=list)
    operations: int = 0


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(?:ss|x|z|ch|sh)es$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _resource_variable(segment: str) -> str:
    """`Messages` → `message_sid`; `IncomingPhoneNumbers` → `incoming_phone_number_sid`."""
    words = snake_case(segment.removesuffix(".json")).split("_")
    words[-1] = _singular(words[-1])
    return "_".join(words) + "_sid"


def variable_names(path: str) -> dict[str, str]:
    """The `{{variable}}` name for each `{Param}` of a path template (see the module docstring)."""
    names: dict[str, str] = {}
    segments = path.split("/")
    for index, segment in enumerate(segments):
        for param in _PARAM.findall(segment):
            if param == "AccountSid":
                name = "account_sid"
            elif param.endswith("Sid") and index > 0 and segments[index - 1] and "{" not in segments[index - 1]:
                # Named after the resource it identifies, whatever the spec calls it, so a parent's id
                # and its children's `{ChatServiceSid}`, `{ServiceSid}`… are one variable.
                name = _resource_variable(segments[index - 1])
            else:
                name = snake_case(param) or "value"
            base, number = name, 2
            while name in names.values():
                name, number = f"{base}_{number}", number + 1
            names[param] = name
    return names


def group_of(path: str) -> str:
    """The resource segment a path belongs to (`Messages`, `IncomingPhoneNumbers`, `Services`)."""
    segments = [s for s in path.split("/") if s]
    if segments and _VERSION.match(segments[0]):
        segments = segments[1:]
    if len(segments) > 2 and segments[0] == "Accounts" and _PARAM.fullmatch(segments[1]):
        segments = segments[2:]
    literal = [s for s in segments if not _PARAM.search(s)]
    if not literal:
        return "api"
    return literal[0].removesuffix(".json")


def _group_title(group: str) -> str:
    if group.islower() and len(group) <= 4:
        return group.upper()
    return humanize(group)


def placeholder(param: ParameterDoc) -> list[str]:
    """Values that pre-fill a required parameter (a list repeats it); see the module docstring."""
    example = param.example
    if isinstance(example, list) and example:
        return [_scalar(v) for v in example if v is not None] or [_scalar(example[0])]
    if example is not None and not isinstance(example, dict):
        return [_scalar(example)]
    if param.enum:
        return [param.enum[0]]
    if param.format in _FORMAT_VALUES:
        return [_FORMAT_VALUES[param.format]]
    kind = param.items if param.type == "array" and param.items else param.type
    if kind == "boolean":
        return ["true"]
    if kind in ("integer", "number"):
        minimum = param.minimum
        return [str(int(minimum)) if minimum is not None and minimum == int(minimum) else "1"]
    if param.location in ("query", "form", "json"):
        return [_sample_text(param)]  # a runnable import needs a value the API accepts, not a variable
    return ["{{" + (snake_case(param.name) or "value") + "}}"]


def _sample_text(param: ParameterDoc) -> str:
    """A plain value for a required string parameter with no example: a SID of its pattern, else by name."""
    from twibench.spec.samples import sample_value

    schema: dict[str, Any] = {"type": param.items if param.type == "array" else param.type}
    if param.pattern:
        schema["pattern"] = param.pattern
    if param.format:
        schema["format"] = param.format
    if param.name.endswith("Name") and schema["type"] == "string" and "pattern" not in schema:
        return "twibench sample"  # FriendlyName, UniqueName…
    value = sample_value(param.name, schema)
    return str(value[0] if isinstance(value, list) else value)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _description(doc: OperationDoc, prefilled: list[ParameterDoc]) -> str:
    from twibench.spec.docs import parameter_markdown

    lines: list[str] = []
    if doc.summary:
        lines += [doc.summary, ""]
    if doc.description and " ".join(doc.description.split()) != " ".join(doc.summary.split()):
        lines += [doc.description, ""]
    if prefilled:
        names = ", ".join(f"`{p.name}`" for p in prefilled)
        lines += [f"Required: {names} (pre-filled; replace the placeholder values).", ""]
    optional = [p for p in doc.parameters if not p.required and p.location != "path"]
    if optional:
        lines += ["Optional parameters:", ""]
        lines += [parameter_markdown(p).replace("- **", f"- *{p.location}* **", 1) for p in optional]
    return "\n".join(lines).strip()


def _url(doc: OperationDoc) -> str:
    names = variable_names(doc.path)
    path = _PARAM.sub(lambda m: "{{" + names[m.group(1)] + "}}", doc.path)
    if not doc.server or doc.server == TWILIO_API_BASE:
        return path
    return doc.server + path


def operation_request(doc: OperationDoc) -> Request:
    """One request for one operation: method, URL template, pre-filled required parameters, description."""
    request = Request(name=clean_name(doc.title, doc.method), id="", method=doc.method, url=_url(doc))
    prefilled: list[ParameterDoc] = []
    json_body: dict[str, Any] = {}
    for param in doc.parameters:
        if not param.required or param.location == "path":
            continue
        prefilled.append(param)
        values = placeholder(param)
        pairs: Pairs = [(param.name, value) for value in values]
        if param.location == "query":
            request.params += pairs
        elif param.location == "header":
            request.headers.append((param.name, values[0]))
        elif param.location == "form":
            request.form = (request.form or []) + pairs
        elif param.location == "json":
            json_body[param.name] = values if param.type == "array" else values[0]
    if doc.body_type in ("application/x-www-form-urlencoded", "multipart/form-data") and request.form is None:
        request.form = []
    if request.form is not None:
        needed = dict(workflow.one_of(doc))
        request.form = [(k, needed.pop(k, v)) for k, v in request.form] + list(needed.items())
    if doc.body_type == "application/json":
        request.json = json_body
    description = _description(doc, prefilled)
    request.description = description or None
    return request


def build_collections(
    operations: list[OperationDoc],
    *,
    title: str = "",
    folder: Path = Path(),
    id_prefixes: dict[str, str] | None = None,
) -> list[tuple[Collection, int]]:
    """One collection per resource group, named and placed in `folder` (paths are not written here).

    Returns:
        Each collection with the number of operations in it, in order of first appearance.
    """
    groups: dict[str, list[OperationDoc]] = {}
    for doc in operations:
        groups.setdefault(group_of(doc.path), []).append(doc)
    files = UniqueFiles()
    result: list[tuple[Collection, int]] = []
    for group, unordered in groups.items():
        docs = workflow.order(unordered)  # create → capture → fetch → update → list → children → delete
        instances = {d.path.removesuffix(".json") for d in docs if d.path.removesuffix(".json").endswith("}")}
        names = UniqueNames()
        about = next((d.resource_description for d in docs if d.resource_description), "")
        origin = f"Imported from {title}." if title else "Imported from an OpenAPI document."
        requests = []
        for doc in docs:
            request = operation_request(doc)
            if workflow.creates(doc, instances):
                request.capture = workflow.capture(doc, docs, variable_names)
            requests.append(names.claim(request))
        captured = {name for request in requests for name in request.capture}
        defaults = workflow.defaults(docs, variable_names, id_prefixes)
        # A SID nothing in this file creates is written into the URL: in a run of many files, another
        # product's captured `participant_sid` must not stand in for this one's.
        inlined = {n: v for n, v in defaults.items() if n not in captured and workflow.is_sid(v)}
        for request in requests:
            for name, value in inlined.items():
                request.url = request.url.replace("{{" + name + "}}", value)
        collection = Collection(
            name=_group_title(group),
            path=folder / f"{files.claim(' '.join(split_words(group)))}.yaml",
            description=f"{about}\n\n{origin}".strip(),
            variables={name: value for name, value in defaults.items() if name not in inlined},
            requests=requests,
        )
        result.append((collection, len(docs)))
    return result


def select(operations: list[OperationDoc], tag: str | None, path_prefix: str | None) -> list[OperationDoc]:
    """The operations with `tag` (case-insensitive) and a path starting with `path_prefix`.

    Raises:
        SpecError: nothing matches (naming a few tags or paths that exist).
    """
    chosen = operations
    if tag is not None:
        wanted = tag.lower()
        chosen = [d for d in chosen if any(t.lower() == wanted for t in d.tags)]
        if not chosen:
            tags = sorted({t for d in operations for t in d.tags})
            shown = ", ".join(tags[:8]) + (", …" if len(tags) > 8 else "")
            raise SpecError(f"no operation has the tag {tag!r}; tags in the document: {shown or 'none'}")
    if path_prefix is not None:
        before = chosen
        chosen = [d for d in chosen if d.path.startswith(path_prefix)]
        if not chosen:
            sample = ", ".join(sorted({d.path for d in before})[:3])
            raise SpecError(f"no operation path starts with {path_prefix!r}; paths look like: {sample}")
    return chosen


def import_openapi(
    spec: Path,
    out_dir: Path,
    *,
    tag: str | None = None,
    path_prefix: str | None = None,
    overwrite: bool = False,
) -> OpenApiImport:
    """Write one collection file per resource group of `spec` into `out_dir`.

    Every file is checked to load back before anything is written, and existing files are never replaced
    unless `overwrite` is set, so a failed import leaves `out_dir` as it was.

    Raises:
        SpecError: the document cannot be read or is not OpenAPI 3.x; no operation matches the filters.
        ExistingFilesError: a target file exists and `overwrite` is not set.
        SaveError: a generated file would not load back (a bug; nothing is written).
    """
    from twibench.importers.writing import write_collections

    document = load_document(spec)
    info = mapping_of(document.get("info"))
    title = str(info.get("title") or spec.name)
    operations = select(read_operations(document, source=str(spec)), tag, path_prefix)
    prefixes = workflow.id_prefixes(document)
    built = build_collections(operations, title=f"{title} ({spec.name})", folder=out_dir, id_prefixes=prefixes)
    files = write_collections([c for c, _ in built], out_dir, overwrite=overwrite)
    return OpenApiImport(files=files, operations=len(operations))


def bundled_specs(product: str | None = None) -> list[str]:
    """The bundled specs (file stems) a `--product` names, or every one when `product` is None.

    A product is a host label (`verify`, `messaging`, `flex-api`: every version Twilio serves there) or
    one spec (`verify_v2`, `twilio_verify_v2`).

    Raises:
        SpecError: no product or spec has that name (the message lists the products).
    """
    from twibench.spec.index import PRODUCTS

    if product is None:
        return [stem for stems in PRODUCTS.values() for stem in stems]
    key = product.strip().lower()
    if key in PRODUCTS:
        return list(PRODUCTS[key])
    stem = key.removesuffix(".json.gz").removesuffix(".json")
    stem = stem if stem.startswith("twilio_") else f"twilio_{stem}"
    if any(stem in stems for stems in PRODUCTS.values()):
        return [stem]
    raise SpecError(
        f"no bundled Twilio product or spec is named {product!r}; products (host labels): {', '.join(PRODUCTS)}; "
        "or name one spec, such as verify_v2"
    )


def import_bundled(
    stems: list[str],
    out_dir: Path,
    *,
    tag: str | None = None,
    path_prefix: str | None = None,
    overwrite: bool = False,
) -> OpenApiImport:
    """Import bundled specs (see `bundled_specs`): into `out_dir` for one spec, else one folder per spec.

    The folders are named after the spec without `twilio_` (`verify_v2/`, `api_v2010/`), so products
    that share resource names (Services, Credentials) never collide. Filters apply to each spec; a spec
    they leave empty is skipped. Every file is checked before the first is written, as `import_openapi`.

    Raises:
        SpecError: no operation of any of the specs matches the filters.
        ExistingFilesError: a target file exists and `overwrite` is not set.
        SaveError: a generated file would not load back (a bug; nothing is written).
    """
    from twibench.importers.writing import write_collections
    from twibench.spec.index import load_spec

    collections: list[Collection] = []
    count = 0
    problem: SpecError | None = None
    for stem in stems:
        document = load_spec(stem).doc
        title = str(mapping_of(document.get("info")).get("title") or stem)
        try:
            operations = select(read_operations(document, source=f"{stem}.json"), tag, path_prefix)
        except SpecError as exc:
            if len(stems) == 1:
                raise
            problem = problem or exc
            continue
        folder = out_dir if len(stems) == 1 else out_dir / stem.removeprefix("twilio_")
        built = build_collections(
            operations, title=f"{title} ({stem}.json)", folder=folder, id_prefixes=workflow.id_prefixes(document)
        )
        collections.extend(c for c, _ in built)
        count += len(operations)
    if not collections:
        if problem is not None:
            raise SpecError(f"none of the {len(stems)} specs has such an operation: {problem}")
        raise SpecError(f"{', '.join(stems)} describes no operation to import (its paths have no methods)")
    files = write_collections(collections, out_dir, overwrite=overwrite)
    return OpenApiImport(files=files, operations=count)
