"""The built-in, offline, Twilio-compatible sandbox server.

Only this package imports the server stack (Starlette, uvicorn), and only in the modules that serve;
`credentials` and `embedded` stay importable without it.
"""
