"""`python -m dondoc` is the `dondoc` command."""

from dondoc.console import main

main()
