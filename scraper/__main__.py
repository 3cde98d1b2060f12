"""`python -m scraper` is `newsarchive`."""

from .cli import main

main()
