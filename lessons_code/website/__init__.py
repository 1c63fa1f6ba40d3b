"""The site's machinery: the lessons' results turned into figures, numbers and widget data.

Data flows one way: the lessons (`lessons_code.data`, `linear_model`, ...) know nothing
of the site. This package trains the runs the pages share (`runs`); gives each page of
`docs/` one module (`pages/<page>.py`, or a package for a long page) that computes,
draws and exports what that page states, in the site's look (`style`), registered by
decorator (`register`); collects them into one registry (`registry`); and keeps what it
made under one key (`cache`).
The MkDocs hook in `hooks/` calls `python -m lessons_code.website` and puts the files on
the pages.
"""
