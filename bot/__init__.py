"""Inbound and outbound chat: everything that knows a chat platform exists."""
