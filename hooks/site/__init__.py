"""The site's MkDocs hook, one module per job, loaded afresh for every build by
`hooks/build.py`.

- `events`: the MkDocs events, and `Build`, what one build knows and when it knows it;
- `computation`: `python -m lessons_code.website` in a fresh process (the figures, the
  numbers, the widgets' data);
- `notebooks`: every notebook executed into the `.ipynb` readers download;
- `wheel`: the package's wheel, which the notebooks' first code cell installs from the site;
- `placeholders`: the page language (`{{ numbers }}`, `{{ figure:NAME }}`, `{{ claim }}`,
  `{{ choose }}`), described in CONTRIBUTING.md, "The page language";
- `html`: MathML, the widgets' data addresses, the notebook pages' links and fixes;
- `notebook_css`: JupyterLab's stylesheet cut down to what the notebook pages use;
- `cache`: the hook's own cache files under `.cache/`.

Nothing here imports `lessons_code`: what the lessons compute comes from a fresh process,
so the code behind a number is always the code on disk, under `mkdocs serve` too.
"""
