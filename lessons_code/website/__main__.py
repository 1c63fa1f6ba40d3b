"""`python -m lessons_code.website CACHE`: make (or find) every computed file of the site."""

import sys

from lessons_code.website.cache import main

raise SystemExit(main(sys.argv[1:]))
