"""`python -m lessons_code <lesson>` runs a lesson from the command line."""

from lessons_code.cli import main

raise SystemExit(main())
