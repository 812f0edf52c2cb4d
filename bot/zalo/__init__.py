"""Zalo, through the Zalo Bot Platform's HTTP API (httpx): updates -> Incoming, Reply -> text with
numbered choices. Thin."""
