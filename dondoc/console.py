"""The `dondoc` console script (and `python -m dondoc`): garbage collection paused before
anything is imported, then the command line (`dondoc.cli.main`, which keeps it paused until the
command's own work begins)."""

import gc


def main() -> None:
    """Run the command named by `sys.argv`."""
    gc.disable()  # typer, the catalogue and the command line itself are imported next
    from dondoc import cli

    cli.main()
