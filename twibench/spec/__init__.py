"""Twilio's bundled OpenAPI specs and OpenAPI documents in general: the one reader of `data/twilio-oai`.

- `index`: the bundled specs (all 55, gzip-compressed) by product host label, loaded lazily per product;
  URL translation between Twilio hosts and the sandbox's product prefixes. The sandbox serves from it.
- `samples`: valid placeholder values for a spec's parameters (SIDs with the right prefix, phone numbers).
- `openapi`: any OpenAPI 3.x document read into one `OperationDoc` per operation (importers, docs).
- `docs`: the operation a request calls, found in the bundled specs (the Docs tab, key completion, the
  curl reader and the exporters); `reference`: the same, loaded off the UI thread for the TUI.
- `urls`: how a collection writes a Twilio URL (a path for api.twilio.com, `{{account_sid}}`).

Nothing here is imported at start-up, and this package's `__init__` imports nothing: each reader loads
only when asked (a product's specs the first time a request on its host is looked up).
"""
