"""`workbench sanity` and `workbench lr-find`: the checks to make before training (CONTRACTS.md section 5).

sanity: exit 0 when the network overfits one small batch, 1 when it cannot (the reason printed), 2 bad
input. lr-find: exit 0 with a suggested rate, 1 when none could be suggested (every rate diverged), 2 bad
input. Both: 130 / 143 when stopped with Ctrl-C / SIGTERM.
"""

from __future__ import annotations

import sys
from pathlib import Path

from workbench.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_RUN_FAILED,
    SignalStop,
    error_line,
    load_configs,
    print_problems,
)
from workbench.core.i18n import _, catalogue_text


class StopCheck(SignalStop):
    """The first Ctrl-C or SIGTERM stops the check at its next step; a second Ctrl-C at once."""

    def __init__(self, control):
        super().__init__()
        self.control = control

    def first(self, number: int) -> None:
        self.control.request_stop()

    def again(self) -> None:
        raise KeyboardInterrupt


def _run_check(args, check):
    """Load FILE and run `check(config, control)`; (exit code, result): the code is set when the check
    could not give a result (bad input, stopped)."""
    from workbench.core.data.bundle import DatasetError
    from workbench.core.experiment.config import ConfigError
    from workbench.core.training.runtime import RunControl

    configs = load_configs([args.file], [], None, None)
    if configs is None:
        return EXIT_BAD_INPUT, None
    name, config = configs[0]
    control = RunControl()
    with StopCheck(control) as stopper:
        try:
            result = check(config, control)
        except ConfigError as error:
            error.source = error.source or name
            print_problems(error)
            return EXIT_BAD_INPUT, None
        except DatasetError as error:
            print(error_line(error, name), file=sys.stderr)
            return EXIT_BAD_INPUT, None
        except KeyboardInterrupt:
            print(_("stopped by the user"), file=sys.stderr)
            return stopper.exit_code, None
    if stopper.signal_number is not None:  # the check ended early, at the step after the signal
        print(_("stopped by the user"), file=sys.stderr)
        return stopper.exit_code, None
    return None, (config, result)


def command_sanity(args) -> int:
    from workbench.core.training.sanity import sanity_check

    code, outcome = _run_check(args, lambda config, control: sanity_check(config, control=control))
    if outcome is None:
        return code
    config, result = outcome
    print(_("Sanity check of {experiment}: overfit {count} training examples with {optimizer} at lr {lr:g}").format(
        experiment=catalogue_text(config.name), count=result.batch_size, optimizer=config.train.optimizer,
        lr=config.train.lr))
    if result.note:
        print(_("note: {note}").format(note=result.note))
    if result.passed:
        print(_("passed: {reason}").format(reason=result.reason))
        return EXIT_OK
    print(_("failed ({curve}, suggests {finding}): {reason}").format(
        curve=result.curve, finding=result.suggests, reason=result.reason))
    return EXIT_RUN_FAILED


def command_lr_find(args) -> int:
    from workbench.core.reports.lr_curve import CurveFileError, check_curve_path, write_curve

    out = Path(args.out) if args.out else None
    if out is not None:
        try:  # before anything trains: a refused --out costs no time
            check_curve_path(out)
        except CurveFileError as error:
            print(error_line(error, "--out"), file=sys.stderr)
            return EXIT_BAD_INPUT
    code, outcome = _run_check(args, _find_with_progress)
    if outcome is None:
        return code
    config, result = outcome
    print(_("Learning-rate finder on {experiment}: {optimizer}, {steps} steps from {start:.0e} to {end:.2g}").format(
        experiment=catalogue_text(config.name), optimizer=config.train.optimizer, steps=len(result.lrs),
        start=result.lrs[0], end=result.lrs[-1]))
    if result.diverged_at is not None:
        print(_("  the loss diverged at lr {lr:.2e}: the test stopped there").format(lr=result.diverged_at))
    print(result.message)
    if result.suggestion is not None:
        other, value = ("steepest", result.steepest) if result.rule == "valley" else ("valley", result.valley)
        if value is not None:
            print(_("  the other rule, {rule}: {lr:.2e}").format(rule=other, lr=value))
        print(_("  the experiment's train.lr: {lr:g}").format(lr=config.train.lr))
    if out is not None:
        try:
            write_curve(result, out, config.name)
        except CurveFileError as error:
            print(error_line(error, "--out"), file=sys.stderr)
            return EXIT_BAD_INPUT
        print(_("wrote {path}").format(path=out))
    return EXIT_OK if result.suggestion is not None else EXIT_RUN_FAILED


def _find_with_progress(config, control):
    """The range test with a progress bar on stderr, shown once training starts and gone when it ends."""
    from tqdm import tqdm

    from workbench.core.training.lr_finder import STEPS, find_learning_rate

    bars = []

    def advance(step: int, _steps: int) -> None:
        if not bars:
            bars.append(tqdm(total=STEPS, desc=catalogue_text(config.name)[:30], unit=_("step"), file=sys.stderr,
                             leave=False, dynamic_ncols=True))
        bars[0].update(step - bars[0].n)

    try:
        return find_learning_rate(config, control=control, on_step=advance)
    finally:
        for bar in bars:
            bar.close()
