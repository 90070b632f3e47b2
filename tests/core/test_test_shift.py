"""data.test_shift: the augmentations' transformations applied once to the test split only, at a strength;
bad settings refused before training with the key named."""

from __future__ import annotations

import pytest
import torch

from workbench.core.data.bundle import DatasetError, load_data
from workbench.core.experiment.config import ConfigError, apply_overrides, parse_experiment
from workbench.core.experiment.schema import DataConfig


def digits(**data) -> DataConfig:
    return DataConfig(dataset="digits", **data)


def test_the_shift_changes_the_test_split_only_and_the_same_way_every_time():
    plain, shifted = load_data(digits()), load_data(digits(test_shift=["rotate", "noise"]))
    for name in ("train_x", "train_y", "val_x", "val_y", "test_y"):
        assert torch.equal(getattr(plain, name), getattr(shifted, name)), name
    assert not torch.allclose(plain.test_x, shifted.test_x)
    assert torch.equal(shifted.test_x, load_data(digits(test_shift=["rotate", "noise"])).test_x)


def test_the_strength_scales_each_transformation():
    plain = load_data(digits()).test_x
    # twice the flip probability of the augmentation (0.5): every test image mirrored
    assert torch.equal(load_data(digits(test_shift=["flip"], test_shift_strength=2.0)).test_x, plain.flip(-1))
    assert torch.equal(load_data(digits(test_shift=["flip", "noise"], test_shift_strength=0.0)).test_x, plain)
    noise = [load_data(digits(test_shift=["noise"], test_shift_strength=s)).test_x - plain for s in (1.0, 3.0)]
    assert torch.allclose(noise[1], 3.0 * noise[0], atol=1e-5)


def test_noise_shifts_the_points_of_a_toy_set():
    plain = load_data(DataConfig(dataset="moons", n_samples=200))
    shifted = load_data(DataConfig(dataset="moons", n_samples=200, test_shift=["noise"], test_shift_strength=5.0))
    assert torch.equal(plain.val_x, shifted.val_x) and not torch.allclose(plain.test_x, shifted.test_x)


@pytest.mark.parametrize(("lines", "problem"), [
    ('dataset = "csv"\npath = "x.csv"\ntarget = "y"\ntest_shift = ["noise"]',
     "data.test_shift: the csv data has no test split to shift"),
    ('dataset = "moons"\ntest_shift = ["rotate", "noise"]',
     'data.test_shift: rotate moves pixels and the moons data are not images; only "noise" applies'),
    ('dataset = "digits"\ntest_shift = ["blur"]', "data.test_shift[0]: 'blur' is not a choice"),
    ('dataset = "digits"\ntest_shift = ["noise"]\ntest_shift_strength = -1',
     "data.test_shift_strength: -1 is not allowed"),
])
def test_bad_shifts_are_refused_naming_the_key(lines, problem):
    with pytest.raises(ConfigError) as error:
        parse_experiment(f"[data]\n{lines}\n")
    assert any(text.startswith(problem) for text in error.value.problems), error.value.problems


def test_a_dataset_without_a_test_split_is_refused_when_loading_too(tmp_path):
    (tmp_path / "rows.csv").write_text("x,label\n" + "".join(f"{i},{i % 2}\n" for i in range(40)))
    config = DataConfig(dataset="csv", path=str(tmp_path / "rows.csv"), target="label", test_shift=["noise"])
    with pytest.raises(DatasetError, match="data.test_shift: the csv data has no test split"):
        load_data(config)


def test_the_shift_is_written_to_the_run_config_and_overridable():
    config = apply_overrides(parse_experiment('[data]\ndataset = "digits"\n'), {"data.test_shift": ["crop"]})
    assert config.flat()["data.test_shift"] == ["crop"] and config.flat()["data.test_shift_strength"] == 1.0


def test_the_report_says_the_test_set_was_shifted():
    from workbench.core.reports.text import format_report
    from workbench.core.training.engine import Run

    config = parse_experiment('[data]\ndataset = "digits"\ntest_shift = ["flip"]\ntest_shift_strength = 2\n'
                              '[model]\nhidden = [32]\n[train]\nepochs = 2\ndevice = "cpu"\n')
    run = Run(config).fit()
    test_line = next(line for line in format_report(run, None).splitlines() if line.startswith("  test"))
    assert test_line.endswith("(shifted: flip at strength 2)")
    assert run.final_metrics["test_acc"] < run.final_metrics["val_acc"]


def test_a_run_directory_keeps_the_sizes_of_the_sets_the_diagnosis_compares(tmp_path):
    from workbench.core.diagnosis import diagnose
    from workbench.core.rundir.reader import load_run
    from workbench.core.training.engine import Run

    config = parse_experiment('[data]\ndataset = "digits"\ntest_shift = ["flip"]\n[model]\nhidden = [32]\n'
                              '[train]\nepochs = 3\ndevice = "cpu"\n')
    run = Run(config, run_dir=tmp_path / "run").fit()
    history = load_run(tmp_path / "run").history
    assert (history.val_count, history.test_count) == (287, 360)  # 20% of the 1,437 training pool; the test set
    assert [f.id for f in diagnose(history, config)] == [f.id for f in run.findings] == ["distribution_shift"]
