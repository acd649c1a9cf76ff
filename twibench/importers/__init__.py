"""Importers: turn a curl command, an OpenAPI document or a Postman collection into collection files.

Each importer builds the same `Request`/`Collection` model the rest of twibench uses and writes it with
`twibench.collection.writer`, so whatever it writes loads again with `twibench check`. Nothing here imports
httpx or Textual: the TUI's paste handler calls `twibench.importers.curl.parse_curl` directly.
"""
