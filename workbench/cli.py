"""The `workbench` command (CONTRACTS.md section 2). Exit codes: 0 done, 1 a run failed or diverged, 2 bad input."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path

EXIT_OK, EXIT_RUN_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _problems(error, stream=None) -> None:
    source = f"{error.source}: " if getattr(error, "source", "") else ""
    for problem in error.problems:
        print(f"error: {source}{problem}", file=stream or sys.stderr)  # sys.stderr as it is now, not at import


def _load_configs(files: list[str], overrides: list[str], device: str | None, epochs: int | None):
    """Every file validated with the overrides applied, or every problem printed and None."""
    from workbench.core.experiment.config import ConfigError, apply_overrides, parse_override
    from workbench.core.experiment.presets import load_named_experiment

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
    from workbench.core.rundir.claim import RunDirError, claim_run_dir
    from workbench.core.rundir.layout import new_run_dir, slug

    configs = _load_configs(args.files, args.set or [], args.device, args.epochs)
    if configs is None:
        return EXIT_BAD_INPUT
    taken: set[str] = set()
    run_dirs = []
    for name, config in configs:
        if args.out and len(configs) == 1:
            run_dirs.append(Path(args.out))
        elif args.out:
            run_dirs.append(Path(args.out) / _unique(slug(Path(name).stem), taken))
        else:
            run_dirs.append(new_run_dir(config.name))
    claims = []
    try:  # every folder checked before anything trains: a refused --out costs no training time
        for run_dir in run_dirs:
            claims.append(claim_run_dir(run_dir))
    except RunDirError as error:
        for claim in claims:
            claim.release(keep=False)
        print(f"error: --out: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    exit_code = EXIT_OK
    with StopOnSignal() as stopper:
        for index, ((name, config), claim) in enumerate(zip(configs, claims, strict=True)):
            if stopper.signal_number is not None:  # stopped: the runs not started yet are not made
                for unused in claims[index:]:
                    unused.release(keep=False)
                break
            outcome = _run_one(name, config, claim, stopper, args.json)
            exit_code = max(exit_code, outcome) if outcome != EXIT_BAD_INPUT else EXIT_BAD_INPUT
            if outcome == EXIT_BAD_INPUT:
                for unused in claims[index + 1:]:
                    unused.release(keep=False)
                return EXIT_BAD_INPUT
    return stopper.exit_code if stopper.signal_number is not None else exit_code


def _run_one(name: str, config, claim, stopper: StopOnSignal, as_json: bool) -> int:
    """Train one configuration into its claimed folder and print its report; the exit code it earns."""
    from workbench.core.data.bundle import DatasetError
    from workbench.core.experiment.config import ConfigError
    from workbench.core.reports.text import format_report
    from workbench.core.rundir.summary import build_summary
    from workbench.core.training.engine import Run

    run = Run(config, run_dir=claim.path)
    stopper.run = run
    try:
        _train_with_progress(run)
    except (DatasetError, ConfigError) as error:  # what only the data reveals, e.g. a CNN on 2-D points
        claim.release(keep=False)
        if isinstance(error, ConfigError):
            error.source = error.source or name
            _problems(error)
        else:
            print(f"error: {name}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:  # a second Ctrl-C: the engine stopped at once and still wrote its files
        print("stopped by the user", file=sys.stderr)
        if run.history is None:  # stopped while the data loaded: nothing was trained, nothing to keep
            claim.release(keep=False)
            return EXIT_OK
    except Exception:  # a crash inside training: the run ended "failed", its records and error kept
        pass
    finally:
        stopper.run = None
    run_dir = _saved_run_dir(run, claim.path)
    if as_json:
        print(json.dumps(build_summary(run)), flush=True)
    else:
        print(format_report(run, run_dir), flush=True)
    if run_dir is None or run.status.failed:
        return EXIT_RUN_FAILED
    return EXIT_OK


def _saved_run_dir(run, run_dir: Path) -> Path | None:
    """Where the run's files are: its folder, or, when that failed mid-run, the default runs folder it
    is saved to now (said on stderr). None when it could be saved nowhere (the reason is printed)."""
    from workbench.core.rundir.claim import RunDirError
    from workbench.core.rundir.layout import new_run_dir
    from workbench.core.rundir.writer import save_run

    if not run.problem:
        return run_dir
    fallback = new_run_dir(run.config.name)
    try:
        save_run(run, fallback)
    except (OSError, RunDirError) as error:
        reason = error.strerror or error if isinstance(error, OSError) else error
        print(f"error: {run.problem}; saving it to {fallback} failed too: {reason}", file=sys.stderr)
        return None
    print(f"note: {run.problem}; the run was saved to {fallback} instead", file=sys.stderr)
    return fallback


class StopOnSignal:
    """Ctrl-C and SIGTERM stop a CLI run the way the app's Stop button does: the run ends at the next
    step, writes every file and reads back as "stopped". A second Ctrl-C while it is still training
    stops it at once (the engine records that too)."""

    EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}  # 128 + the signal's number, as shells do

    def __init__(self):
        self.run = None  # the run training now
        self.signal_number: int | None = None
        self._previous: dict[int, object] = {}

    @property
    def exit_code(self) -> int:
        return self.EXIT_CODES[self.signal_number]

    def __enter__(self) -> StopOnSignal:
        if threading.current_thread() is threading.main_thread():  # signals reach the main thread only
            for number in self.EXIT_CODES:
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def _handle(self, number, frame) -> None:
        if self.signal_number is None:
            self.signal_number = number
            if self.run is not None:
                self.run.control.request_stop()
            print("\nstopping after this step (press Ctrl-C again to stop at once)", file=sys.stderr)
        elif number == signal.SIGINT and self.run is not None and self.run.status == "running":
            raise KeyboardInterrupt


def _unique(stem: str, taken: set[str]) -> str:
    """`x`, then `x-2`, `x-3`...: two files with the same name never share a run directory."""
    candidate, number = stem, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}"
    taken.add(candidate)
    return candidate


def _train_with_progress(run) -> None:
    """Train with a progress bar on stderr; live findings are printed the moment they are raised."""
    from tqdm import tqdm

    from workbench.core.reports.text import format_finding_line
    from workbench.core.training.engine import EpochReport

    config, bar = run.config, None
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


def command_check(args) -> int:
    from workbench.core.experiment.config import ConfigError
    from workbench.core.experiment.presets import load_named_experiment

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
    from workbench.core.experiment.presets import list_presets

    presets = list_presets()
    width = max((len(p.key) for p in presets), default=10)
    for preset in presets:
        expect = ", ".join(preset.config.meta.expect) or "healthy"
        cure = f"  cure: {preset.config.meta.fixed_by}" if preset.config.meta.fixed_by else ""
        print(f"{preset.key:<{width}}  {preset.one_line}  [{expect}]{cure}")
    return EXIT_OK


def command_compare(args) -> int:
    from workbench.core.reports.comparison import CompareError
    from workbench.core.reports.comparison_files import write_comparison

    try:
        written = write_comparison([Path(d) for d in args.run_dirs], Path(args.out))
    except CompareError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"wrote {written}")
    return EXIT_OK


def command_gui(args) -> int:
    from workbench.ui.platform_check import window_problem

    # asked before Qt starts: Qt would abort (SIGABRT) after a page of plugin messages
    problem = window_problem(args.platform or os.environ.get("QT_QPA_PLATFORM"), os.environ)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from workbench.ui.app import main as gui_main

    return gui_main(args.file, platform=args.platform, quit_after_paint=args.quit_after_paint)


def command_install_desktop(args) -> int:
    from workbench import desktop

    if not desktop.is_supported():
        print(f"error: install-desktop is not supported on {sys.platform} yet, only on Linux desktops",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.uninstall:
        removed = desktop.uninstall(os.environ)
        print("\n".join(f"removed {path}" for path in removed) or "nothing to remove")
        return EXIT_OK
    try:
        written = desktop.install(os.environ)
    except desktop.DesktopError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print("\n".join(f"wrote {path}" for path in written))
    return EXIT_OK


def version_text() -> str:
    import PySide6
    import torch
    from PySide6.QtCore import qVersion

    from workbench import __version__

    return f"workbench {__version__}, torch {torch.__version__}, Qt {qVersion()} (PySide6 {PySide6.__version__})"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbench", description="Learn why a neural network trains badly.")
    parser.add_argument("--version", action="store_true", help="print the Workbench, torch and Qt versions")
    commands = parser.add_subparsers(dest="command")
    gui = commands.add_parser("gui", help="open the app (the default)")
    gui.add_argument("file", nargs="?", help="an experiment file or a preset name")
    gui.add_argument("--platform", help="a Qt platform plugin, e.g. offscreen (no display needed)")
    gui.add_argument("--quit-after-paint", action="store_true",
                     help="exit once the window has painted (a smoke test)")
    gui.set_defaults(handler=command_gui)
    desktop = commands.add_parser("install-desktop", help="add the app to the applications menu (Linux)")
    desktop.add_argument("--uninstall", action="store_true", help="remove the entry and the icon again")
    desktop.set_defaults(handler=command_install_desktop)
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
    if args.version:
        print(version_text())
        return EXIT_OK
    if args.command is None:
        args = parser.parse_args(["gui", *(argv or [])])
    return args.handler(args)
