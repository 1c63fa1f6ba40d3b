"""Code the pages show that is not part of the lessons: real files, imported by the tests."""
