"""Plans coming in: storing an imported plan (and its revisions), and the demo ward."""
