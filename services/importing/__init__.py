"""Plans coming in: the preview kept until confirmed (pending.py), storing an imported plan and
its revisions (imports.py, diffs.py), and the demo ward."""
