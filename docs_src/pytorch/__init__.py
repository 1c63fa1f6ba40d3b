"""The chapter's own steps in PyTorch, one file per section of "From numpy to PyTorch".

Each file is the chapter's code, made into functions so that the tests can run it on
our data and hold it to `lessons_code`'s numbers. PyTorch is an optional extra
(`pip install -e ".[pytorch]"`); the site builds without it.
"""
