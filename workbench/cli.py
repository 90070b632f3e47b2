"""The `workbench` command (CONTRACTS.md section 2). Exit codes: 0 done, 1 a run failed or diverged, 2 bad input."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_RUN_FAILED, EXIT_BAD_INPUT = 0, 1, 2
FAILED_STATUSES = ("diverged", "failed")


def _problems(error, stream=None) -> None:
    source = f"{error.source}: " if getattr(error, "source", "") else ""
    for problem in error.problems:
        print(f"error: {source}{problem}", file=stream or sys.stderr)  # sys.stderr as it is now, not at import


def _load_configs(files: list[str], overrides: list[str], device: str | None, epochs: int | None):
    """Every file validated with the overrides applied, or every problem printed and None."""
    from workbench.core.config import ConfigError, apply_overrides, parse_override
    from workbench.core.presets import load_named_experiment

    configs, failed = [], False
    try:
        extra = dict(parse_override(item) for item in overrides)
    except ConfigError as error:
        _problems(error)
        return None
    if device:
        extra["train.device"] = device
    if epochs is not None:
        extra["train.epochs"] = epochs
    for name in files:
        try:
            configs.append((name, apply_overrides(load_named_experiment(name), extra)))
        except ConfigError as error:
            error.source = error.source or name
            _problems(error)
            failed = True
    return None if failed else configs


def command_run(args) -> int:
    from workbench.core.config import ConfigError
    from workbench.core.data import DatasetError
    from workbench.core.report import format_finding_line, format_report
    from workbench.core.storage import build_summary, new_run_dir, slug

    configs = _load_configs(args.files, args.set or [], args.device, args.epochs)
    if configs is None:
        return EXIT_BAD_INPUT
    exit_code = EXIT_OK
    taken: set[str] = set()
    for name, config in configs:
        if args.out and len(configs) == 1:
            run_dir = Path(args.out)
        elif args.out:
            run_dir = Path(args.out) / _unique(slug(Path(name).stem), taken)
        else:
            run_dir = new_run_dir(config.name)
        try:
            run = _train_with_progress(config, run_dir, format_finding_line)
        except DatasetError as error:
            print(f"error: {name}: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except ConfigError as error:  # what only the data reveals, e.g. model.kind = "cnn" on 2-D points
            error.source = error.source or name
            _problems(error)
            return EXIT_BAD_INPUT
        except KeyboardInterrupt:
            print("\nstopped by the user", file=sys.stderr)
            return 130
        if args.json:
            print(json.dumps(build_summary(run)), flush=True)
        else:
            print(format_report(run, run_dir), flush=True)
        if run.status in FAILED_STATUSES:
            exit_code = EXIT_RUN_FAILED
    return exit_code


def _unique(stem: str, taken: set[str]) -> str:
    """`x`, then `x-2`, `x-3`...: two files with the same name never share a run directory."""
    candidate, number = stem, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}"
    taken.add(candidate)
    return candidate


def _train_with_progress(config, run_dir: Path, format_finding_line):
    """Train with a progress bar on stderr; live findings are printed the moment they are raised."""
    from tqdm import tqdm

    from workbench.core.engine import EpochReport, Run

    run = Run(config, run_dir=run_dir)
    bar = None
    announced: set[str] = set()
    try:
        for report in run.iter_fit():
            if bar is None:
                bar = tqdm(total=config.train.epochs * run.history.steps_per_epoch, desc=config.name[:30],
                           unit="step", file=sys.stderr, leave=False, dynamic_ncols=True)
            bar.update(run.history.steps - bar.n)
            if isinstance(report, EpochReport):
                bar.set_postfix(epoch=report.epoch, val_acc=f"{report.metrics['val_acc']:.3f}")
            for finding in run.findings:
                if finding.id not in announced:
                    announced.add(finding.id)
                    bar.write(format_finding_line(finding), file=sys.stderr)
    finally:
        if bar is not None:
            bar.close()
    return run


def command_check(args) -> int:
    from workbench.core.config import ConfigError
    from workbench.core.presets import load_named_experiment

    bad = False
    for name in args.files:
        try:
            load_named_experiment(name)
            print(f"ok: {name}")
        except ConfigError as error:
            error.source = error.source or name
            _problems(error, sys.stdout)
            bad = True
    return EXIT_BAD_INPUT if bad else EXIT_OK


def command_presets(args) -> int:
    from workbench.core.presets import list_presets

    presets = list_presets()
    width = max((len(p.key) for p in presets), default=10)
    for preset in presets:
        expect = ", ".join(preset.config.meta.expect) or "healthy"
        cure = f"  cure: {preset.config.meta.fixed_by}" if preset.config.meta.fixed_by else ""
        print(f"{preset.key:<{width}}  {preset.one_line}  [{expect}]{cure}")
    return EXIT_OK


def command_compare(args) -> int:
    from workbench.core.compare import CompareError, write_comparison

    try:
        written = write_comparison([Path(d) for d in args.run_dirs], Path(args.out))
    except CompareError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"wrote {written}")
    return EXIT_OK


def command_gui(args) -> int:
    from workbench.ui.app import main as gui_main

    return gui_main(args.file)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbench", description="Learn why a neural network trains badly.")
    commands = parser.add_subparsers(dest="command")
    gui = commands.add_parser("gui", help="open the app (the default)")
    gui.add_argument("file", nargs="?", help="an experiment file or a preset name")
    gui.set_defaults(handler=command_gui)
    run = commands.add_parser("run", help="train headless and print the diagnosis")
    run.add_argument("files", nargs="+", metavar="FILE", help="experiment files or preset names")
    run.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a key, e.g. train.lr=0.1")
    run.add_argument("--out", help="run directory (one FILE) or folder of run directories (several)")
    run.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"))
    run.add_argument("--epochs", type=int)
    run.add_argument("--json", action="store_true", help="print summary.json to stdout, one line per run")
    run.set_defaults(handler=command_run)
    presets = commands.add_parser("presets", help="list the presets")
    presets.set_defaults(handler=command_presets)
    check = commands.add_parser("check", help="validate experiment files")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(handler=command_check)
    compare = commands.add_parser("compare", help="compare run directories")
    compare.add_argument("run_dirs", nargs="+", metavar="RUN_DIR")
    compare.add_argument("--out", required=True, help=".html, .csv, .json, .png or .svg")
    compare.set_defaults(handler=command_compare)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *(argv or [])])
    return args.handler(args)
