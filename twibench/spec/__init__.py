"""Twilio's bundled OpenAPI specs, read through one index (no UI, no sandbox imports)."""
