"""The spec-driven layer: every operation of every bundled Twilio spec, answered from its OpenAPI shape.

`dispatch` finds the operation of a path, `model` reads what the spec says about a resource, `values`
makes property values, `records` stores resources, `handlers` implements create/fetch/update/delete/
list, `envelope` builds list pages. Hand-written products (calls, verify, lookup…) plug in through
`dispatch.OVERRIDES`.
"""
