"""The site's machinery: the lessons' results turned into figures, numbers and widget data.

Data flows one way: the lessons (`lessons_code.data`, `linear_model`, ...) know nothing
of the site; this package runs them (`runs`), draws (`figures`), states (`numbers`)
and exports (`widgets`) their results, names each figure and widget once
(`registry`), and keeps what it made under one key (`cache`). The MkDocs hook in
`hooks/` calls `python -m lessons_code.website` and puts the files on the pages.
"""
