"""The local web chat (the embedded default channel), the chair's dashboard and the admin's
pages: a Starlette app rendered on the server."""
