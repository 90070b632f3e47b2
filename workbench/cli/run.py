"""`workbench run`: train experiment files headless, print the report, write run directories."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_RUN_FAILED,
    StopOnSignal,
    error_line,
    load_configs,
    note_runs_folder_over_cap,
    print_problems,
)
from workbench.core.hooks import Callback, FixTest
from workbench.core.i18n import _


def command_run(args) -> int:
    from workbench.core.rundir.claim import RunDirError, claim_run_dir
    from workbench.core.rundir.layout import new_run_dir, slug

    overrides = [*(args.set or []), *(["train.verify_fixes=true"] if args.verify else [])]
    configs = load_configs(args.files, overrides, args.device, args.epochs)
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
        print(error_line(error, "--out"), file=sys.stderr)
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
    note_runs_folder_over_cap()
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
            print_problems(error)
        else:
            print(error_line(error, name), file=sys.stderr)
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
    from workbench.core.training.runtime import EpochReport

    config, bar = run.config, None
    announced: set[str] = set()
    run.callbacks.append(AnnounceFixTests())
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


class AnnounceFixTests(Callback):
    """Says on stderr which fix a short run tests after training (verified diagnosis): otherwise the finished
    progress bar would sit silent for up to half the run's time again."""

    def on_fix_test_start(self, run, test: FixTest) -> None:
        from tqdm import tqdm

        template = (_("measuring what \"{title}\" cost in a short run of {epochs} epochs without it ({without}) "
                      "({index} of {total})...") if test.without else
                    _("testing the fix for \"{title}\" in a short run of {epochs} epochs ({index} of {total})..."))
        tqdm.write(template.format(title=test.title, epochs=test.epochs, index=test.index, total=test.total,
                                   without=test.without), file=sys.stderr)
