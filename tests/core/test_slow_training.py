"""slow_training: each way a setting wastes the machine fires with the fix that helps, a run on its
defaults never gets it however its time divided, and the preset shows it first and loses it with the fix."""

import math

import pytest
from history_factory import experiment
from speed_scenarios import HEALTHY, TimedRun

from workbench.core.diagnosis import RULES, diagnose
from workbench.core.diagnosis.speed import DATA_TO_COMPUTE
from workbench.core.experiment.config import apply_overrides
from workbench.core.experiment.presets import list_presets
from workbench.core.history import STEP_PHASES
from workbench.core.training.engine import Run

slow_training = RULES["slow_training"]
# Every phase taking nearly all the time in turn, on many threads, on a GPU: the worst a busy machine
# could make a run's own split look.
EXTREMES = [dict(HEALTHY, **{phase: 10.0}) for phase in STEP_PHASES]


@pytest.mark.parametrize(("run", "config", "fix", "words"), [
    (TimedRun(phase_seconds={**HEALTHY, "probes": 0.3}), experiment(train__probe_every=1),
     {"train.probe_every": 0}, "probes took 45%"),
    (TimedRun(phase_seconds={**HEALTHY, "data": 0.5}), experiment(data__dataset="digits", data__augment=["rotate"]),
     {"data.augment": []}, "1.43x the forward pass"),
    (TimedRun(gpu_memory_mb=120.0), experiment(train__batch_size=1), {"train.batch_size": 32}, "batches of 1"),
    (TimedRun(threads=4), experiment(train__threads=4), {"train.threads": 0}, "train.threads = 4"),
], ids=["probes", "data", "gpu-batch", "threads"])
def test_each_waste_fires_with_its_fix_and_the_measured_shares(run, config, fix, words):
    finding = slow_training(run.history(), config)
    assert finding is not None and finding.fix == fix and finding.severity == "warning"
    assert words in finding.evidence and "samples/s" in finding.evidence
    assert "vanishing gradients" in finding.suggestion and "batch normalization" in finding.suggestion
    assert slow_training(run.history(), apply_overrides(config, fix)) is None
    assert [f.id for f in diagnose(run.history(), config)][0] == "slow_training"  # a healthy run otherwise


def test_short_of_each_waste_it_stays_silent():
    little_probing = TimedRun(phase_seconds={**HEALTHY, "probes": 0.05})
    assert slow_training(little_probing.history(), experiment(train__probe_every=4)) is None
    every_automatic = TimedRun(phase_seconds={**HEALTHY, "probes": 1.0})
    assert slow_training(every_automatic.history(), experiment(train__probe_every=8)) is None  # 8 = automatic here
    cheap_augment = TimedRun(phase_seconds={**HEALTHY, "data": 0.3})
    assert slow_training(cheap_augment.history(), experiment(data__augment=["noise"])) is None
    assert slow_training(TimedRun(gpu_memory_mb=120.0).history(), experiment(train__batch_size=8)) is None
    big = TimedRun(threads=4, hidden_layers=4)
    big_layers = experiment(train__threads=4, train__batch_size=1024)
    assert slow_training(big.history(), big_layers) is None
    too_short = TimedRun(phase_seconds={phase: 0.0001 for phase in STEP_PHASES})
    assert slow_training(too_short.history(), experiment(train__probe_every=1)) is None
    assert slow_training(TimedRun().history(), experiment()) is None


@pytest.mark.parametrize("split", EXTREMES, ids=STEP_PHASES)
def test_no_preset_but_its_own_can_get_it_whatever_the_machine_did(split):
    """A busy machine can make any phase look slow; only a setting the fix changes makes it a finding.
    (Presets that augment are measured instead: test_augmenting_presets_spend_less_on_data_than_the_model.)"""
    for preset in list_presets():
        if "slow_training" in preset.config.meta.expect or (split["data"] > 1 and preset.config.data.augment):
            continue
        for threads in (1, 8):
            run = TimedRun(phase_seconds=split, threads=threads)
            assert slow_training(run.history(), preset.config) is None, preset.key


def test_the_cure_runs_faster_and_the_preset_probes_every_step():
    presets = {preset.key: preset.config for preset in list_presets()}
    slow = Run(apply_overrides(presets["probe-every-step"], {"train.epochs": 2})).fit()
    assert slow.history.probe_steps.view()[:, 0].tolist() == list(range(1, slow.step + 1))
    probes = sum(slow.history.timings.view()[:, 7]) / sum(slow.history.timings.view()[:, 2])
    assert probes > 0.15 and not math.isnan(slow.samples_per_s)


def test_augmenting_presets_spend_less_on_data_than_the_model():
    """Augmentation is a data-path cost the rule weighs against the model: in the presets that augment
    (flip: a fifth to a third of the model's time, measured), it stays well below."""
    augmenting = [preset for preset in list_presets() if preset.config.data.augment]
    for preset in augmenting:
        run = Run(apply_overrides(preset.config, {"train.epochs": 2, "train.device": "cpu"})).fit()
        seconds = dict(zip(STEP_PHASES, run.history.timings.view()[:, 3:8].sum(axis=0), strict=True))
        model = seconds["forward"] + seconds["backward"] + seconds["optimizer"]
        assert seconds["data"] < DATA_TO_COMPUTE * model, (preset.key, seconds)
        assert slow_training(run.history, run.config) is None, preset.key
