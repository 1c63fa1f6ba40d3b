"""Every benchmark of the project, one figure per line, each beside its target.

python benchmarks/run_all.py            # real MNIST from ../shared/data/mnist when present
"""

from __future__ import annotations

import os

import build_time
import data_load
import serve_rebuild
import site_weight
import train_speed


def main() -> None:
    """Run each benchmark and print its figures."""
    data_dir = build_time.shared_mnist()
    if data_dir is not None:
        os.environ.setdefault("LESSONS_DATA", str(data_dir))  # the site builds on it too
    speed = train_speed.measure(data_dir)
    print(f"data: {speed['data_source']}")
    if speed["ratio"] is None:
        print(
            f"train speed: numpy {speed['numpy_seconds_per_epoch'] * 1000:.2f} ms/epoch "
            "(PyTorch not installed: no ratio)"
        )
    else:
        print(
            f"train speed: numpy {speed['numpy_seconds_per_epoch'] * 1000:.2f} ms/epoch, "
            f"PyTorch {speed['torch_seconds_per_epoch'] * 1000:.2f} ms/epoch, ratio "
            f"{speed['ratio']:.2f} (target ≤ {train_speed.TARGET_RATIO})"
        )
    load = data_load.measure(data_dir)
    print(f"data load: {load:.3f} s (target < {data_load.TARGET_SECONDS} s)")
    build = build_time.measure()
    print(
        f"clean build: {build['clean_seconds']:.1f} s "
        f"(target ≤ {build_time.TARGET_CLEAN_SECONDS:.0f} s)"
    )
    print(
        f"unchanged rebuild: {build['rebuild_seconds']:.1f} s = {build['ratio']:.1%} of clean "
        f"(target ≤ {build_time.TARGET_RATIO:.0%})"
    )
    print(
        f"  split: loading MkDocs and its plugins {build['loading_seconds']:.1f} s, "
        f"rebuilding in a loaded process {build['in_process_rebuild_seconds']:.2f} s = "
        f"{build['in_process_ratio']:.1%} of clean"
    )
    print(
        f"edit one page while serving: {serve_rebuild.measure():.2f} s "
        f"(target ≤ {serve_rebuild.TARGET_SECONDS:.0f} s)"
    )
    print(
        f"heaviest page: {build['heaviest_page']} {build['heaviest_page_bytes'] / 1000:.0f} KB "
        f"(target ≤ {site_weight.PAGE_LIMIT / 1000:.0f} KB)"
    )
    print(
        f"whole site: {build['site_bytes'] / 1e6:.2f} MB "
        f"(target < {site_weight.SITE_LIMIT / 1e6:.0f} MB)"
    )


if __name__ == "__main__":
    main()
