"""Every benchmark of the project, one figure per line, each beside its target.

python -m benchmarks.run_all      # real MNIST ($LESSONS_DATA or ../shared/data/mnist) when present
"""

from __future__ import annotations

from benchmarks import (
    build_time,
    contributor,
    data_load,
    lighthouse,
    pytorch_parity,
    serve_rebuild,
    threads,
    train_speed,
)
from tests.support import PAGE_LIMIT, SITE_LIMIT, real_mnist


def main() -> None:
    """Run each benchmark and print its figures."""
    data_dir = real_mnist()
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
    parity = pytorch_parity.measure(data_dir)
    if parity is None:
        print("PyTorch parity: PyTorch not installed, nothing to compare")
    else:
        worst = max(
            max(
                found.scores,
                found.loss,
                found.gradients,
                abs(found.accuracy[0] - found.accuracy[1]),
            )
            for found in parity["pairs"].values()
        )
        print(
            f"PyTorch parity over one epoch: largest difference {worst:.1e} "
            f"(target ≤ {pytorch_parity.TARGET:g})"
        )
    for command, figures in threads.measure(data_dir).items():
        print(
            f"lessons {command}, default BLAS threads / one: {figures['ratio']:.2f} "
            f"({figures['default_seconds']:.1f} s / {figures['one_thread_seconds']:.1f} s; "
            f"target ≤ {threads.TARGET_RATIO}), "
            f"{'same' if figures['same_numbers'] else 'DIFFERENT'} numbers"
        )
    load = data_load.measure(data_dir)
    print(f"data load: {load:.3f} s (target < {data_load.TARGET_SECONDS} s)")
    build = build_time.measure()
    print(
        f"clean build: {build['clean_seconds']:.1f} s "
        f"(target ≤ {build_time.TARGET_CLEAN_SECONDS:.0f} s)"
    )
    print(
        f"unchanged rebuild: {build['rebuild_seconds']:.2f} s "
        f"(target ≤ {build_time.TARGET_REBUILD_SECONDS:.0f} s)"
    )
    serve = serve_rebuild.measure()
    print(
        f"mkdocs serve ready (warm cache): {serve['ready_seconds']:.2f} s "
        f"(target ≤ {serve_rebuild.TARGET_READY_SECONDS:.0f} s)"
    )
    print(
        f"edit one page while serving: {serve['edit_seconds']:.2f} s "
        f"(target ≤ {serve_rebuild.TARGET_EDIT_SECONDS:.0f} s)"
    )
    print(
        f"README's first command, fresh clone to served site: "
        f"{contributor.first_command_seconds():.1f} s "
        f"(target ≤ {contributor.TARGET_SERVE_SECONDS:.0f} s)"
    )
    print(
        f"pytest, the README's test command: {contributor.pytest_seconds():.1f} s "
        f"(target ≤ {contributor.TARGET_PYTEST_SECONDS:.0f} s)"
    )
    print(
        f"heaviest page: {build['heaviest_page']} {build['heaviest_page_bytes'] / 1000:.0f} KB "
        f"(target ≤ {PAGE_LIMIT / 1000:.0f} KB)"
    )
    print(f"whole site: {build['site_bytes'] / 1e6:.2f} MB (target < {SITE_LIMIT / 1e6:.0f} MB)")
    if why := lighthouse.missing():
        print(f"Lighthouse: skipped, {why}")
    else:
        medians = lighthouse.measure_fresh_build()
        print("Lighthouse, mobile, median of 3 runs of every page:")
        print(lighthouse.table(medians))
        print(f"Lighthouse {lighthouse.worst(medians)}")


if __name__ == "__main__":
    main()
