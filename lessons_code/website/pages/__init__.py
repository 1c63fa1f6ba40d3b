"""One module per page of `docs/`: the figures, numbers, widget data and constants that the
page states, each computed once and registered with `lessons_code.website.register`.

A page module imports the lessons, `runs`, `style`, `register` and `shared` (what many
pages state), never another page's module.
"""
