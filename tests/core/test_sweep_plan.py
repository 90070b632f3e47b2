"""A sweep's `[sweep]` table: validated like the rest of the file, expanded the same way every time, with
trial ids that survive a changed grid; and what the summary computes from the trials (no training here)."""

import math

import pytest
from tiny_experiment import TINY_TABLES

from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ConfigError, apply_overrides, parse_experiment, to_toml
from workbench.core.rundir.claim import RunDirError, claim_run_dir, claim_sweep_dir
from workbench.core.sweeps.plan import expand, parse_grid_option
from workbench.core.sweeps.results import TrialResult
from workbench.core.sweeps.summary import configurations, format_table, variance_shares

SWEEP = """
[sweep]
grid = { "train.lr" = [0.001, 0.01, 0.1], "model.activation" = ["relu", "tanh"] }
random = { "train.weight_decay" = { low = 1e-6, high = 1e-2, log = true }, "train.batch_size" = { low = 8, high = 64 } }
samples = 2
seeds = 3
"""


def sweep_file(table: str = SWEEP):
    return parse_experiment(TINY_TABLES + table, "sweep.toml", default_name="tiny")


def problems_of(table: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        expand(sweep_file("[sweep]\n" + table))
    return caught.value.problems


def test_expansion_is_grid_times_draws_times_seeds_and_the_same_every_time():
    config = sweep_file()
    plan, again = expand(config), expand(sweep_file())
    assert config.sweep.trial_count == len(plan.trials) == 3 * 2 * 2 * 3
    assert [(trial.id, trial.overrides) for trial in plan.trials] == [(trial.id, trial.overrides) for trial in again.trials]
    assert len({trial.id for trial in plan.trials}) == len(plan.trials)
    assert plan.keys == ["train.lr", "model.activation", "train.weight_decay", "train.batch_size"]
    # seed 0 of every configuration first; seed i adds i to both seeds
    assert [trial.seed for trial in plan.trials[:12]] == [0] * 12
    last = plan.trials[-1]
    assert last.seed == 2 and last.overrides["data.seed"] == config.data.seed + 2
    assert last.overrides["train.seed"] == config.train.seed + 2
    for trial in plan.trials:
        assert 1e-6 <= trial.settings["train.weight_decay"] <= 1e-2
        assert isinstance(trial.settings["train.batch_size"], int) and 8 <= trial.settings["train.batch_size"] <= 64
        assert float(f"{trial.settings['train.weight_decay']:.3g}") == trial.settings["train.weight_decay"]


def test_log_draws_spread_over_the_orders_of_magnitude():
    config = sweep_file('[sweep]\nrandom = { "train.lr" = { low = 1e-5, high = 1e-1, log = true } }\nsamples = 200')
    exponents = [math.log10(trial.settings["train.lr"]) for trial in expand(config).trials]
    assert min(exponents) < -4.5 and max(exponents) > -1.5  # a linear draw would put nearly all above 1e-2


def test_trial_ids_survive_more_seeds_and_another_grid_value():
    before = {trial.id for trial in expand(sweep_file('[sweep]\ngrid = { "train.lr" = [0.01, 0.1] }')).trials}
    after = {trial.id for trial in expand(sweep_file(
        '[sweep]\ngrid = { "train.lr" = [0.001, 0.01, 0.1] }\nseeds = 2')).trials}
    assert before < after and len(after) == 6


def test_a_file_with_a_sweep_is_still_its_base_experiment_and_a_trial_is_a_plain_experiment():
    config = sweep_file()
    assert "sweep" not in to_toml(config) and not any(key.startswith("sweep") for key in config.flat())
    trial = expand(config).trials[0]
    trial_config = apply_overrides(config, trial.overrides)
    assert trial_config.sweep is None and trial_config.train.lr == 0.001
    assert trial_config.meta.group == "" and "lr=0.001" in trial_config.name
    assert parse_experiment(to_toml(trial_config)) == trial_config


@pytest.mark.parametrize(("table", "expected"), [
    ('grid = { "train.lrr" = [1] }', ["sweep.grid.train.lrr: unknown key", "did you mean 'lr'"]),
    ('grid = { "trian.lr" = [1] }', ["sweep.grid.trian.lr: unknown table", "did you mean 'train'"]),
    ('grid = { "train.lr" = [0.1, -1] }', ["sweep.grid.train.lr[1]: -1 is not allowed", "greater than 0"]),
    ('grid = { "model.hidden" = [[64], [64, 0]] }', ["sweep.grid.model.hidden[1][1]: 0 is not allowed"]),
    ('grid = { "model.activation" = ["relu", "rleu"] }', ["sweep.grid.model.activation[1]", "did you mean 'relu'"]),
    ('grid = { "train.lr" = [0.1, 0.1] }', ["sweep.grid.train.lr[1]: 0.1 is listed twice"]),
    ('grid = { "train.lr" = 0.1 }', ["sweep.grid.train.lr: 0.1 is a float; an array is needed"]),
    ('grid = { "train.lr" = [] }', ["sweep.grid.train.lr", "at least 1 item"]),
    ('grid = { "meta.name" = ["a", "b"] }', ["sweep.grid.meta.name: [meta] describes the experiment"]),
    ('random = { "train.lr" = { low = 0.1, high = 0.01 } }\nsamples = 2', ["sweep.random.train.lr: low (0.1) must be below high (0.01)"]),
    ('random = { "train.lr" = { low = 0, high = 1, log = true } }\nsamples = 2', ["a log range needs low above 0"]),
    ('random = { "train.momentum" = { low = 0.5, high = 2 } }\nsamples = 2', ["sweep.random.train.momentum.high: 2.0 is not allowed"]),
    ('random = { "train.batch_size" = { low = 1.5, high = 8 } }\nsamples = 2', ["takes whole numbers"]),
    ('random = { "model.activation" = { low = 1, high = 2 } }\nsamples = 2', ["model.activation is not a number"]),
    ('random = { "train.lr" = { lo = 1, high = 2 } }\nsamples = 2', ["sweep.random.train.lr.lo: unknown key", "did you mean 'low'"]),
    ('random = { "train.lr" = { low = 0.001, high = 0.1 } }', ["sweep.random: ranges are drawn only when sweep.samples"]),
    ("samples = 3", ["sweep.samples: 3 draws, but sweep.random has no range"]),
    ("seeds = 0", ["sweep.seeds: 0 is not allowed"]),
    ('backend = "rey"', ["sweep.backend: 'rey' is not a choice", "did you mean 'ray'"]),
    ("parallel = -1", ["sweep.parallel: -1 is not allowed"]),
    ("sedes = 3", ["sweep.sedes: unknown key", "did you mean 'seeds'"]),
    ('grid = { "train.lr" = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1] }\nseeds = 1000',
     ["sweep: 11000 trials is more than 10000"]),
    # each value alone is allowed; together they are not (Nesterov momentum needs a momentum)
    ('grid = { "train.optimizer" = ["adam", "nesterov"], "train.momentum" = [0.0, 0.9] }',
     ['sweep: the combination optimizer=nesterov momentum=0.0 is not valid: train.momentum']),
])
def test_a_bad_sweep_table_names_the_key_the_value_and_what_is_allowed(table, expected):
    message = " | ".join(problems_of(table))
    for fragment in expected:
        assert fragment in message, message


def test_grid_options_split_at_top_level_commas_into_toml_literals():
    assert parse_grid_option("model.hidden=[64],[64,64]") == ("model.hidden", [[64], [64, 64]])
    assert parse_grid_option("train.lr=1e-3, 1e-2") == ("train.lr", [0.001, 0.01])
    assert parse_grid_option("model.activation=relu,tanh") == ("model.activation", ["relu", "tanh"])
    assert parse_grid_option('meta.name="a, b",c') == ("meta.name", ["a, b", "c"])
    with pytest.raises(ConfigError, match="expected TABLE.KEY=VALUE"):
        parse_grid_option("lr")


def test_a_sweep_directory_is_a_workbench_folder_for_out_and_resume(tmp_path):
    sweep_dir = tmp_path / "sweep"
    claim_sweep_dir(sweep_dir).release(keep=True)
    with pytest.raises(RunDirError, match="holds no Workbench sweep"):
        claim_sweep_dir(sweep_dir, resume=True)
    (sweep_dir / "sweep.json").write_text('{"format": 1, "trials": []}')
    (sweep_dir / "sweep.csv").write_text("trial\n")
    claim_sweep_dir(sweep_dir, resume=True).release(keep=True)  # goes on with it as it is
    assert (sweep_dir / "sweep.csv").exists()
    claim_sweep_dir(sweep_dir).release(keep=True)  # a previous sweep is replaced
    assert not (sweep_dir / "sweep.csv").exists()
    (sweep_dir / "sweep.json").write_text('{"format": 1, "trials": []}')
    (sweep_dir / "notes.txt").write_text("mine")
    with pytest.raises(RunDirError, match=r"not a Workbench sweep \(notes.txt\)"):
        claim_sweep_dir(sweep_dir)
    with pytest.raises(RunDirError, match="not a Workbench run"):
        claim_run_dir(sweep_dir)  # a sweep is not a run directory: `workbench run --out` leaves it alone
    assert (sweep_dir / "notes.txt").read_text() == "mine"


def _results(accuracy_of) -> tuple:
    plan = expand(sweep_file('[sweep]\ngrid = { "train.lr" = [0.001, 0.1], "model.activation" = ["relu", "tanh"] }\n'
                             "seeds = 2"))
    results = []
    for trial in plan.trials:
        accuracy = accuracy_of(trial)
        findings = [Finding("lr_too_high", "warning", "t", "e", "s")] if trial.settings["train.lr"] == 0.1 else []
        results.append(TrialResult(trial, "completed", {"val_acc": accuracy, "val_loss": 1 - accuracy}, {}, findings))
    return plan, results


def test_what_matters_is_the_setting_that_moves_validation_accuracy():
    plan, results = _results(lambda trial: 0.9 if trial.settings["train.lr"] == 0.001 else 0.5 + 0.01 * trial.seed)
    shares = variance_shares(plan, results)
    assert shares["train.lr"] > 0.99 and shares["model.activation"] < 0.01 and shares["seeds"] < 0.01
    ranked = configurations(results)
    assert [group.settings["train.lr"] for group in ranked] == [0.001, 0.001, 0.1, 0.1]
    assert ranked[-1].accuracy_spread == pytest.approx(0.00707, abs=1e-4)
    lines = format_table(plan, results).splitlines()
    assert lines[0].split() == ["train.lr", "model.activation", "val", "acc", "val", "loss", "trials", "diagnosis"]
    assert lines[1].split()[:5] == ["0.001", "relu", "90.0%", "±", "0.0"] and lines[1].endswith("healthy")
    assert lines[-1].endswith("lr_too_high")


def test_seeds_share_is_the_spread_between_seeds_of_one_configuration():
    plan, results = _results(lambda trial: 0.5 + 0.2 * trial.seed)
    assert variance_shares(plan, results)["seeds"] > 0.99
