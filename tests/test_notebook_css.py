"""The notebooks' shared stylesheet: JupyterLab's (570 KB) cut down to what the notebook
pages can use (hooks/site/notebook_css.py), once for a set of inputs."""

from __future__ import annotations

from hooks.site.notebook_css import HTML_CLASSES, NOTEBOOK_CSS, used_css, write

STYLESHEET = (
    '@charset "UTF-8";'
    ".jupyter-wrapper{--jp-used: red;--jp-chain: var(--jp-used);--jp-unread: blue;"
    "--jp-read-elsewhere: 1px;--jp-icon: url(data:image/svg+xml;base64,AA;)}"
    ".jupyter-wrapper .jp-Cell{color:var(--jp-chain)}"
    ".jupyter-wrapper .jp-Toolbar,.jupyter-wrapper .jp-OutputArea{margin:0}"
    ".jupyter-wrapper .lm-Widget{display:flex}"
    ".jupyter-wrapper .jp-Cell:not(.jp-mod-active){opacity:1}"
    "@media print{.jupyter-wrapper .jp-Toolbar{display:none}.jupyter-wrapper .jp-Cell{color:#000}}"
    "@media (max-width: 10px){.jupyter-wrapper .lm-Widget{display:none}}"
    "@keyframes blink{50%{opacity:0}}"
    ".jupyter-wrapper .md-clipboard{color:blue}"
    '.jupyter-wrapper [data-x="a.b"] .jp-CodeCell{content:"}{;"}'
)
PAGE = (
    "<div class=\"jupyter-wrapper\"><div class='jp-Cell jp-CodeCell'>"
    "<div class=jp-OutputArea></div></div></div>"
)
KEPT = (
    '@charset "UTF-8";'
    ".jupyter-wrapper{--jp-used: red;--jp-chain: var(--jp-used);--jp-read-elsewhere: 1px}"
    ".jupyter-wrapper .jp-Cell{color:var(--jp-chain)}"
    ".jupyter-wrapper .jp-OutputArea{margin:0}"
    ".jupyter-wrapper .jp-Cell:not(.jp-mod-active){opacity:1}"
    "@media print{.jupyter-wrapper .jp-Cell{color:#000}}"
    "@keyframes blink{50%{opacity:0}}"
    ".jupyter-wrapper .md-clipboard{color:blue}"
    '.jupyter-wrapper [data-x="a.b"] .jp-CodeCell{content:"}{;"}'
)
ELSEWHERE = "a{margin:var(--jp-read-elsewhere)}"
"""The site's own stylesheet, which reads one of JupyterLab's custom properties."""


def test_the_notebooks_stylesheet_keeps_what_their_pages_can_use():
    """JupyterLab's stylesheet blocks a notebook page's first paint: the build keeps the
    rules whose classes are on the pages (or added by Material at runtime) and the
    custom properties something reads; JupyterLab's interface goes."""
    found = HTML_CLASSES.findall(PAGE)
    classes = {name for groups in found for name in " ".join(groups).split()}
    assert classes == {"jupyter-wrapper", "jp-Cell", "jp-CodeCell", "jp-OutputArea"}
    assert used_css(STYLESHEET, classes, [ELSEWHERE]) == KEPT


def test_the_stylesheet_is_pruned_once_for_its_inputs(tmp_path):
    site, root = tmp_path / "site", tmp_path / "project"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "site.css").write_text(ELSEWHERE)
    write(site, STYLESHEET, [PAGE], root)
    assert (site / NOTEBOOK_CSS).read_text() == KEPT
    (cached,) = (root / ".cache" / "notebook-css").glob("*.css")
    cached.write_text("/* from the cache */")  # the same inputs: taken from the cache
    write(site, STYLESHEET, [PAGE], root)
    assert (site / NOTEBOOK_CSS).read_text() == "/* from the cache */"
    write(site, STYLESHEET, [PAGE.replace("jp-OutputArea", "jp-Toolbar")], root)
    assert ".jp-Toolbar{margin:0}" in (site / NOTEBOOK_CSS).read_text()  # a page changed
    assert len(list((root / ".cache" / "notebook-css").glob("*.css"))) == 1
