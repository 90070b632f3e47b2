"""What every command of the `workbench` CLI shares: exit codes, how problems are printed, loading the
experiment files with their overrides, and stopping on Ctrl-C / SIGTERM."""

from __future__ import annotations

import signal
import sys
import threading

from workbench.core.i18n import _

EXIT_OK, EXIT_RUN_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def error_line(problem, source: str = "") -> str:
    """One error as the CLI prints it, naming the file or option at fault when there is one."""
    if source:
        return _("error: {source}: {problem}").format(source=source, problem=problem)
    return _("error: {problem}").format(problem=problem)


def print_problems(error, stream=None) -> None:
    for problem in error.problems:
        # sys.stderr as it is now, not at import
        print(error_line(problem, getattr(error, "source", "")), file=stream or sys.stderr)


def note_runs_folder_over_cap(stream=None) -> None:
    """After a run or sweep: one line on stderr when the runs folder takes more than its cap
    (WORKBENCH_RUNS_CAP_MB, or the default); nothing is refused or deleted."""
    from workbench.core.rundir.disk_usage import cap_from_environment, over_cap_sentence, runs_folder_size
    from workbench.core.rundir.layout import runs_root

    stream = stream or sys.stderr
    cap, problem = cap_from_environment()
    root = runs_root()
    sentence = over_cap_sentence(runs_folder_size(root), cap, root)
    for line in (problem, sentence):
        if line:
            print(_("note: {sentence}").format(sentence=line), file=stream)


def load_configs(files: list[str], overrides: list[str], device: str | None, epochs: int | None):
    """Every file validated with the overrides applied, or every problem printed and None."""
    from workbench.core.experiment.config import ConfigError, apply_overrides, parse_override
    from workbench.core.experiment.presets import load_named_experiment

    configs, failed = [], False
    try:
        extra = dict(parse_override(item) for item in overrides)
    except ConfigError as error:
        print_problems(error)
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
            print_problems(error)
            failed = True
    return None if failed else configs


class SignalStop:
    """Ctrl-C and SIGTERM caught while the `with` block runs (in the main thread, where signals arrive):
    the first one calls `first(number)`, a later Ctrl-C `again()`; the previous handlers come back after."""

    EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}  # 128 + the signal's number, as shells do

    def __init__(self):
        self.signal_number: int | None = None
        self._previous: dict[int, object] = {}

    @property
    def exit_code(self) -> int:
        return self.EXIT_CODES[self.signal_number]

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for number in self.EXIT_CODES:
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def _handle(self, number, frame) -> None:
        if self.signal_number is None:
            self.signal_number = number
            self.first(number)
        elif number == signal.SIGINT:
            self.again()

    def first(self, number: int) -> None:
        raise NotImplementedError

    def again(self) -> None:
        raise NotImplementedError


class StopOnSignal(SignalStop):
    """Ctrl-C and SIGTERM stop a CLI run the way the app's Stop button does: the run ends at the next
    step, writes every file and reads back as "stopped". A second Ctrl-C while it is still training
    stops it at once (the engine records that too)."""

    def __init__(self):
        super().__init__()
        self.run = None  # the run training now

    def first(self, number: int) -> None:
        if self.run is not None:
            self.run.control.request_stop()
        print("\n" + _("stopping after this step (press Ctrl-C again to stop at once)"), file=sys.stderr)

    def again(self) -> None:
        if self.run is not None and self.run.status == "running":
            raise KeyboardInterrupt
