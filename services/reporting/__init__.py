"""Reporting: the snapshot a plan's reports are made from, for whoever may see it."""
