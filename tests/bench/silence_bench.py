"""Does the diagnosis stay silent on healthy runs at other seeds? (A benchmark, not a test.)

Every healthy preset (the baselines and every failure's cure; not the failures, not the sweeps) is trained
at --seeds seeds (data.seed and train.seed both set to 0, 1, ...), once at its own epochs and once at twice
them. Issue 14's goal: at their own epochs no finding at all, info included; at twice their epochs nothing
above info (an honest overfitting note is fine). Prints each preset's findings per seed where there are
any, and the totals. CI checks one seed (tests/presets/test_presets.py); this is the ten-seed figure.

Both cores by default (one torch thread per worker); the MNIST presets train on the subset committed in
tests/data/MNIST.

    python tests/bench/silence_bench.py [--seeds 10] [--workers 2] [--preset KEY ...]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))  # tests/: the MNIST subset helper

EPOCH_FACTORS = (1, 2)
ALARMS = ("warning", "error")


def healthy_presets() -> list[str]:
    from workbench.core.experiment.presets import list_presets

    return [preset.key for preset in list_presets()
            if not preset.config.meta.expect and preset.config.sweep is None]


def _train(item: tuple[str, int, int, str]) -> tuple[str, int, int, list[tuple[str, str]], str]:
    """(preset, seed, epoch factor, [(finding id, severity)], status) of one run."""
    import torch

    from workbench.core.experiment.config import apply_overrides
    from workbench.core.experiment.presets import list_presets
    from workbench.core.training.engine import Run

    torch.set_num_threads(1)
    key, seed, factor, mnist_root = item
    config = {preset.key: preset for preset in list_presets()}[key].config
    overrides = {"train.device": "cpu", "data.seed": seed, "train.seed": seed,
                 "train.epochs": config.train.epochs * factor}
    if config.data.dataset == "mnist" and not config.data.data_dir:
        overrides["data.data_dir"] = mnist_root
    run = Run(apply_overrides(config, overrides)).fit()
    return key, seed, factor, [(f.id, f.severity) for f in run.findings], run.status


def main(argv: list[str] | None = None) -> int:
    from mnist_subset import unpack_mnist_subset

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--preset", nargs="*", help="only these presets (default: every healthy one)")
    args = parser.parse_args(argv)

    keys = args.preset or healthy_presets()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        mnist_root = str(unpack_mnist_subset(Path(folder)))
        items = [(key, seed, factor, mnist_root) for key in keys for seed in range(args.seeds)
                 for factor in EPOCH_FACTORS]
        with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
            results = list(pool.imap_unordered(_train, items))

    by_preset = defaultdict(list)
    for key, seed, factor, findings, status in results:
        by_preset[key].append((seed, factor, findings, status))
    any_finding = sum(1 for _, _, factor, findings, _ in results if factor == 1 and findings)
    alarmed = sum(1 for _, _, factor, findings, _ in results
                  if factor == 2 and any(severity in ALARMS for _, severity in findings))
    runs_per_factor = len(keys) * args.seeds
    print(f"Healthy presets at {args.seeds} seeds: {len(keys)} presets, {len(results)} runs, "
          f"{(time.perf_counter() - started) / 60:.1f} min with {args.workers} workers\n")
    print("| measure | runs | goal |\n| --- | --- | --- |")
    print(f"| any finding (info included), own epochs | {any_finding}/{runs_per_factor} | 0 |")
    print(f"| a warning or error, twice the epochs | {alarmed}/{runs_per_factor} | 0 |\n")
    for key in keys:
        noisy = [(seed, factor, findings, status) for seed, factor, findings, status in sorted(by_preset[key])
                 if findings and (factor == 1 or any(severity in ALARMS for _, severity in findings))]
        for seed, factor, findings, status in noisy:
            listed = ", ".join(f"{finding} ({severity})" for finding, severity in findings)
            print(f"{key:32} seed {seed} x{factor} epochs ({status}): {listed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
