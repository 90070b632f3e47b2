"""`workbench sweep` (CONTRACTS.md section 5): the file's [sweep] with the command line's changes,
expanded into trials, run with progress on stderr, and the summary printed. Exit codes: 0 every trial ran
(a diverged trial is a result), 1 a trial failed, 2 bad input, 130/143 stopped by Ctrl-C/SIGTERM."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from workbench.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_RUN_FAILED,
    SignalStop,
    error_line,
    note_runs_folder_over_cap,
    print_problems,
)
from workbench.core.i18n import _


def _sweep_config(args):
    """The experiment with its [sweep] table changed by the options, validated as a file's; None when a
    problem was printed."""
    from workbench.core.experiment.config import ConfigError, experiment_from_dict
    from workbench.core.experiment.presets import load_named_experiment
    from workbench.core.sweeps.plan import parse_grid_option

    try:
        config = load_named_experiment(args.file)
        table = config.sweep.model_dump() if config.sweep is not None else {}
        for option in args.grid or []:
            key, values = parse_grid_option(option)
            table["grid"] = {**table.get("grid", {}), key: values}
        chosen = {"seeds": args.seeds, "backend": args.backend, "address": args.address, "parallel": args.parallel}
        table.update({key: value for key, value in chosen.items() if value is not None})
        return experiment_from_dict({**config.model_dump(), "sweep": table}, args.file)
    except ConfigError as error:
        error.source = error.source or args.file
        print_problems(error)
        return None


def _backend(sweep, cleanup: contextlib.ExitStack):
    """The backend the sweep chose, ready to run (a Ray instance is shut down by `cleanup`); SweepError
    when it cannot be."""
    if sweep.backend == "ray":
        from workbench.core.sweeps.ray_tune import RayBackend

        backend = RayBackend(sweep.address, sweep.parallel)
        backend.connect()
        cleanup.callback(backend.close)
        return backend
    from workbench.core.sweeps.local import LocalBackend

    return LocalBackend(sweep.parallel)


def _claim_directory(args, name: str):
    from workbench.core.rundir.claim import claim_sweep_dir
    from workbench.core.rundir.layout import new_run_dir

    if args.resume:
        return claim_sweep_dir(Path(args.resume), resume=True)
    return claim_sweep_dir(Path(args.out) if args.out else new_run_dir(f"sweep-{name}"))


def run_sweep_command(args) -> int:
    from workbench.core.experiment.config import ConfigError
    from workbench.core.rundir.claim import RunDirError
    from workbench.core.sweeps.errors import SweepError
    from workbench.core.sweeps.plan import expand
    from workbench.core.sweeps.runner import Sweep
    from workbench.core.sweeps.summary import format_summary

    config = _sweep_config(args)
    if config is None:
        return EXIT_BAD_INPUT
    try:
        plan = expand(config)
    except ConfigError as error:
        error.source = args.file
        print_problems(error)
        return EXIT_BAD_INPUT
    with contextlib.ExitStack() as cleanup:
        try:
            backend = _backend(config.sweep, cleanup)
            claim = _claim_directory(args, plan.name)
        except SweepError as error:
            print(error_line(error), file=sys.stderr)
            return EXIT_BAD_INPUT
        except RunDirError as error:
            print(error_line(error, "--resume" if args.resume else "--out"), file=sys.stderr)
            return EXIT_BAD_INPUT
        cleanup.callback(claim.release, keep=True)
        sweep = Sweep(plan, claim.path, resume=bool(args.resume))
        try:
            with StopSweepOnSignal(sweep) as stopper:
                _run_with_progress(sweep, backend)
        except OSError as error:  # the sweep's tables could not be written (its trials' files are theirs)
            print(error_line(_("cannot write the sweep directory {path}: {reason}").format(
                path=claim.path, reason=error.strerror or error)), file=sys.stderr)
            return EXIT_RUN_FAILED
    print(format_summary(plan, sweep.results))
    print("\n" + _("Sweep directory: {path}").format(path=claim.path), flush=True)
    note_runs_folder_over_cap()
    if stopper.signal_number is not None:
        return stopper.exit_code
    return EXIT_RUN_FAILED if any(result.failed for result in sweep.results) else EXIT_OK


def _run_with_progress(sweep, backend) -> None:
    """Run the sweep with a progress bar on stderr: trials done of those to run, the time left, the best
    configuration so far."""
    from tqdm import tqdm

    from workbench.core.sweeps.plan import settings_label
    from workbench.core.sweeps.results import PENDING

    to_run, total = len(sweep.to_run), len(sweep.plan.trials)
    parallel = getattr(backend, "parallel", 0) or _("all the cluster offers")
    if to_run < total:
        print(_("{name}: {count} of {total} trials to run (the others are done), {parallel} at a time").format(
            name=sweep.plan.name, count=to_run, total=total, parallel=parallel), file=sys.stderr)
    else:
        print(_("{name}: {total} trials, {parallel} at a time").format(
            name=sweep.plan.name, total=total, parallel=parallel), file=sys.stderr)
    bar = tqdm(total=to_run, desc=_("trials"), unit=_("trial"), file=sys.stderr, dynamic_ncols=True)
    best: list = []

    def finished(result) -> None:
        if result.status == PENDING:  # not started before the sweep stopped
            return
        bar.update(1)
        if result.has_result and result.val_acc is not None and (not best or result.val_acc > best[0].val_acc):
            best[:] = [result]
            bar.set_postfix_str(_("best {accuracy:.1%}: {settings}").format(
                accuracy=result.val_acc, settings=settings_label(result.trial.settings) or sweep.plan.name))

    try:
        sweep.run(backend, finished)
    finally:
        bar.close()


class StopSweepOnSignal(SignalStop):
    """Ctrl-C and SIGTERM stop a sweep as they stop `workbench run`: the running trials end at their next
    step with their files written and no new trial starts; a second Ctrl-C ends them at once."""

    def __init__(self, sweep):
        super().__init__()
        self.sweep = sweep

    def first(self, number: int) -> None:
        self.sweep.request_stop()
        print("\n" + _("stopping: the running trials end after their current step, finished trials are kept "
                       "(press Ctrl-C again to stop at once)"), file=sys.stderr)

    def again(self) -> None:
        self.sweep.request_abort()
