"""The tiny experiment the tests train: two moons, a small MLP, two epochs on the CPU (about a second).
Every test that needs a real run starts from it (imported by name: tests/ is on pytest's path)."""

from __future__ import annotations

from workbench.core.experiment.config import ExperimentConfig, apply_overrides, parse_experiment, to_toml

TINY_TABLES = """
[data]
dataset = "moons"
n_samples = 200
[model]
hidden = [16, 16]
[train]
lr = 0.02
batch_size = 16
epochs = 2
device = "cpu"
"""


def tiny(name: str = "tiny moons", **overrides) -> ExperimentConfig:
    """The tiny experiment named `name`; overrides are `table.key` (as `**{"train.lr": 0.1}`) or
    `table__key` keywords."""
    config = parse_experiment(TINY_TABLES, default_name=name)
    return apply_overrides(config, {key.replace("__", "."): value for key, value in overrides.items()})


def tiny_toml(name: str = "tiny moons", **overrides) -> str:
    """The same as an experiment file's text, every key written out."""
    return to_toml(tiny(name, **{"meta.name": name, **overrides}))


class InProcess:
    """A sweep backend that trains the trials one after another in this process, remembering which it was
    given; request_stop() lets the trial under way finish and starts no other (as the pool does)."""

    def __init__(self):
        self.given: list[str] = []
        self.stopping = False

    def run(self, base, trials, directory, on_outcome):
        from workbench.core.sweeps.trial import run_trial

        for trial in trials:
            if self.stopping:
                break
            self.given.append(trial.id)
            on_outcome(run_trial(base, trial, directory / trial.id))

    def request_stop(self):
        self.stopping = True

    def request_abort(self):
        self.stopping = True


def tiny_sweep_plan(sweep: str, tables: str = TINY_TABLES):
    """The tiny experiment with this [sweep] table, expanded into its trials."""
    from workbench.core.sweeps.plan import expand

    return expand(parse_experiment(tables + sweep, default_name="tiny"))
