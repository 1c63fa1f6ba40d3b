"""The project's tests. They compute with one BLAS thread, as the site's build does, so a
number a test computes is the number the build put on the page, whatever the machine's
core count (set here, before any test imports numpy)."""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
