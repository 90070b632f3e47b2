"""The `workbench` command (CONTRACTS.md section 2). Exit codes: 0 done, 1 a run failed or diverged, 2 bad input."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path

from workbench.core import i18n
from workbench.core.i18n import _

EXIT_OK, EXIT_RUN_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _error_line(problem, source: str = "") -> str:
    """One error as the CLI prints it, naming the file or option at fault when there is one."""
    if source:
        return _("error: {source}: {problem}").format(source=source, problem=problem)
    return _("error: {problem}").format(problem=problem)


def _problems(error, stream=None) -> None:
    for problem in error.problems:
        # sys.stderr as it is now, not at import
        print(_error_line(problem, getattr(error, "source", "")), file=stream or sys.stderr)


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
            loaded = load_named_experiment(name)
            if loaded.sweep is not None:
                print(_("note: {file} holds a sweep; this runs its base experiment once, `workbench sweep {file}` "
                        "runs the sweep").format(file=name), file=sys.stderr)
            configs.append((name, apply_overrides(loaded, extra)))
        except ConfigError as error:
            error.source = error.source or name
            _problems(error)
            failed = True
    return None if failed else configs


def command_run(args) -> int:
    from workbench.core.rundir.claim import RunDirError, claim_run_dir
    from workbench.core.rundir.layout import new_run_dir, slug

    overrides = [*(args.set or []), *(["train.verify_fixes=true"] if args.verify else [])]
    configs = _load_configs(args.files, overrides, args.device, args.epochs)
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
        print(_error_line(error, "--out"), file=sys.stderr)
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
            print(_error_line(error, name), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:  # a second Ctrl-C: the engine stopped at once and still wrote its files
        print(_("stopped by the user"), file=sys.stderr)
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
        print(_("error: {problem}; saving it to {folder} failed too: {reason}").format(
            problem=run.problem, folder=fallback, reason=reason), file=sys.stderr)
        return None
    print(_("note: {problem}; the run was saved to {folder} instead").format(problem=run.problem, folder=fallback),
          file=sys.stderr)
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
            print("\n" + _("stopping after this step (press Ctrl-C again to stop at once)"), file=sys.stderr)
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
                           unit=_("step"), file=sys.stderr, leave=False, dynamic_ncols=True)
            bar.update(run.history.steps - bar.n)
            if isinstance(report, EpochReport):
                bar.set_postfix_str(_("epoch {epoch}, validation accuracy {accuracy:.3f}").format(
                    epoch=report.epoch, accuracy=report.metrics["val_acc"]))
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
    from workbench.core.sweeps.plan import expand

    bad = False
    for name in args.files:
        try:
            config = load_named_experiment(name)
            if config.sweep is not None:  # settings each allowed alone may still clash in one trial
                expand(config)
            print(_("ok: {file}").format(file=name))
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
        # the key comes first and the ids stay as they are: scripts read both
        key, meta = preset.key.ljust(width), preset.config.meta
        expected = ", ".join(meta.expect) or _("healthy")
        if meta.fixed_by:
            line = _("{preset}  {description}  [{expected}]  cure: {cure}")
        else:
            line = _("{preset}  {description}  [{expected}]")
        print(line.format(preset=key, description=preset.one_line, expected=expected, cure=meta.fixed_by))
    return EXIT_OK


def command_compare(args) -> int:
    from workbench.core.reports.comparison import CompareError
    from workbench.core.reports.comparison_files import write_comparison

    try:
        written = write_comparison([Path(d) for d in args.run_dirs], Path(args.out))
    except CompareError as error:
        print(_error_line(error), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(_("wrote {path}").format(path=written))
    return EXIT_OK


def command_sweep(args) -> int:
    from workbench.sweep_command import run_sweep_command  # imports this module: loaded when used

    return run_sweep_command(args)


def command_gui(args) -> int:
    from workbench.ui.platform_check import window_problem

    # asked before Qt starts: Qt would abort (SIGABRT) after a page of plugin messages
    problem = window_problem(args.platform or os.environ.get("QT_QPA_PLATFORM"), os.environ)
    if problem:
        print(_error_line(problem), file=sys.stderr)
        return EXIT_BAD_INPUT
    from workbench.ui.app import main as gui_main

    return gui_main(args.file, platform=args.platform, quit_after_paint=args.quit_after_paint)


def command_install_desktop(args) -> int:
    from workbench import desktop

    if not desktop.is_supported():
        print(_error_line(_("install-desktop is not supported on {platform} yet, only on Linux desktops").format(
            platform=sys.platform)), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.uninstall:
        removed = desktop.uninstall(os.environ)
        print("\n".join(_("removed {path}").format(path=path) for path in removed) or _("nothing to remove"))
        return EXIT_OK
    try:
        written = desktop.install(os.environ)
    except desktop.DesktopError as error:
        print(_error_line(error), file=sys.stderr)
        return EXIT_BAD_INPUT
    print("\n".join(_("wrote {path}").format(path=path) for path in written))
    return EXIT_OK


def version_text() -> str:
    import PySide6
    import torch
    from PySide6.QtCore import qVersion

    from workbench import __version__

    return f"workbench {__version__}, torch {torch.__version__}, Qt {qVersion()} (PySide6 {PySide6.__version__})"


def _language_option() -> argparse.ArgumentParser:
    """`--lang`, accepted before the command and after it (`workbench --lang zh_CN run x`, `workbench run x
    --lang zh_CN`). SUPPRESS: a command's parser would otherwise overwrite a value given before it."""
    option = argparse.ArgumentParser(add_help=False)
    option.add_argument("--lang", choices=i18n.SUPPORTED_LANGUAGES, default=argparse.SUPPRESS,
                        help=_("the language of what Workbench prints (default: WORKBENCH_LANG, then the system "
                               "locale, then en); file contents never change with it"))
    return option


def _requested_language(argv: list[str]) -> str | None:
    """`--lang`'s value wherever it stands, read before the parser is built, whose help texts are already
    in the chosen language."""
    early = argparse.ArgumentParser(prog="workbench", add_help=False)
    early.add_argument("--lang")
    known, _unparsed = early.parse_known_args(argv)
    return known.lang


def build_parser() -> argparse.ArgumentParser:
    language = _language_option()
    parser = argparse.ArgumentParser(prog="workbench", parents=[language],
                                     description=_("Learn why a neural network trains badly."))
    parser.add_argument("--version", action="store_true", help=_("print the Workbench, torch and Qt versions"))
    commands = parser.add_subparsers(dest="command")

    def command(name: str, help_text: str, handler) -> argparse.ArgumentParser:
        subparser = commands.add_parser(name, help=help_text, parents=[language])
        subparser.set_defaults(handler=handler)
        return subparser

    gui = command("gui", _("open the app (the default)"), command_gui)
    gui.add_argument("file", nargs="?", help=_("an experiment file or a preset name"))
    gui.add_argument("--platform", help=_("a Qt platform plugin, e.g. offscreen (no display needed)"))
    gui.add_argument("--quit-after-paint", action="store_true",
                     help=_("exit once the window has painted (a smoke test)"))
    desktop = command("install-desktop", _("add the app to the applications menu (Linux)"),
                      command_install_desktop)
    desktop.add_argument("--uninstall", action="store_true", help=_("remove the entry and the icon again"))
    run = command("run", _("train headless and print the diagnosis"), command_run)
    run.add_argument("files", nargs="+", metavar="FILE", help=_("experiment files or preset names"))
    run.add_argument("--set", action="append", metavar="KEY=VALUE", help=_("override a key, e.g. train.lr=0.1"))
    run.add_argument("--out", help=_("run directory (one FILE) or folder of run directories (several)"))
    run.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"))
    run.add_argument("--epochs", type=int)
    run.add_argument("--json", action="store_true", help=_("print summary.json to stdout, one line per run"))
    run.add_argument("--verify", action="store_true",
                     help=_("test the leading findings' fixes with short runs (train.verify_fixes = true)"))
    command("presets", _("list the presets"), command_presets)
    check = command("check", _("validate experiment files"), command_check)
    check.add_argument("files", nargs="+", metavar="FILE")
    compare = command("compare", _("compare run directories"), command_compare)
    compare.add_argument("run_dirs", nargs="+", metavar="RUN_DIR")
    compare.add_argument("--out", required=True, help=_(".html, .csv, .json, .png or .svg"))
    sweep = command("sweep", _("run a sweep: each setting's values and seeds, ranked by validation accuracy"),
                    command_sweep)
    sweep.add_argument("file", metavar="FILE", help=_("an experiment file or a preset name"))
    sweep.add_argument("--grid", action="append", metavar="KEY=V1,V2,...",
                       help=_("sweep a key over these values (TOML literals), e.g. train.lr=1e-3,1e-2"))
    sweep.add_argument("--seeds", type=int, help=_("run each configuration with this many seeds"))
    sweep.add_argument("--backend", choices=("local", "ray"))
    sweep.add_argument("--address", help=_("ray only: a cluster's address (default: a local Ray instance)"))
    sweep.add_argument("--parallel", type=int, help=_("trials at once (default: one per core)"))
    where = sweep.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="DIR", help=_("the sweep directory (new, empty, or a previous sweep's)"))
    where.add_argument("--resume", metavar="DIR", help=_("go on with the sweep in DIR: run only the trials it lacks"))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:  # before anything is printed, the parser's own help and errors included
        i18n.set_language(i18n.choose_language(_requested_language(argv), os.environ))
    except i18n.UnsupportedLanguage as error:
        build_parser().error(str(error))  # exit 2, with the usage line
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(version_text())
        return EXIT_OK
    if args.command is None:
        args = parser.parse_args(["gui", *argv])
    return args.handler(args)
