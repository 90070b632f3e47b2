"""Histograms and confusion matrices: what a run records, histograms.npz / confusion.npz read back, and
damaged files that lose only their own view."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
import torch
from tiny_experiment import tiny

from workbench.core.distributions import (
    BINS,
    KINDS,
    class_accuracy,
    decode_confusion,
    decode_histograms,
    resampled,
    strip,
)
from workbench.core.reports.comparison_files import write_comparison
from workbench.core.rundir.reader import load_run
from workbench.core.training.distributions import ConfusionRecorder, HistogramRecorder, histogram
from workbench.core.training.engine import Run


class RunWithoutDistributions(Run):
    def _standard_callbacks(self):
        return [callback for callback in super()._standard_callbacks()
                if not isinstance(callback, HistogramRecorder | ConfusionRecorder)]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    directory = tmp_path_factory.mktemp("runs") / "tiny"
    return Run(tiny(**{"train.epochs": 3}), run_dir=directory).fit()


def test_histograms_at_step_0_and_every_epoch_end_hold_every_value(recorded):
    history = recorded.history
    snapshots = decode_histograms(history.histograms.view(), len(history.layers))
    assert snapshots.epochs.tolist() == [0, 1, 2, 3]
    assert snapshots.steps.tolist() == [0, *history.epoch_column("step").astype(int).tolist()]
    val_examples = len(recorded.data.val_y)
    for layer, (weight, info) in enumerate(zip([layer.weight for layer in recorded.model.weight_layers], history.layers, strict=True)):
        totals = snapshots.counts[:, layer].sum(axis=-1) + snapshots.nonfinite[:, layer]
        assert (totals[:, KINDS.index("weights")] == weight.numel()).all()
        assert (totals[:, KINDS.index("gradients")] == weight.numel()).all()
        assert (totals[:, KINDS.index("activations")] == val_examples * info.width).all()
    weights = recorded.model.weight_layers[0].weight.detach()
    assert snapshots.minimum[-1, 0, 0] == pytest.approx(float(weights.min()))
    assert snapshots.maximum[-1, 0, 0] == pytest.approx(float(weights.max()))
    assert (snapshots.minimum <= snapshots.low).all() and (snapshots.low <= snapshots.high).all()
    assert (snapshots.high <= snapshots.maximum + 1e-6).all()


def test_confusion_matrix_per_epoch_counts_the_validation_set(recorded):
    history = recorded.history
    confusion = decode_confusion(history.confusion.view(), history.n_classes)
    assert confusion.epochs.tolist() == [1, 2, 3]
    assert (confusion.matrices.sum(axis=(1, 2)) == confusion.matrices[0].sum()).all()
    np.testing.assert_allclose(class_accuracy(confusion.matrices[-1]), history.class_recall.view()[-1], atol=1e-6)
    accuracy = np.trace(confusion.matrices[-1]) / confusion.matrices[-1].sum()
    assert accuracy == pytest.approx(history.epoch_column("val_acc")[-1], abs=1e-6)
    assert history.class_names == ["0", "1"]


def test_recording_them_changes_nothing_in_the_training():
    config = tiny(**{"model.dropout": 0.2, "model.normalization": "batch"})
    with_them, without = Run(config).fit(), RunWithoutDistributions(config).fit()
    assert len(with_them.history.histograms) and not len(without.history.histograms)
    np.testing.assert_array_equal(with_them.history.step_loss.view(), without.history.step_loss.view())
    np.testing.assert_array_equal(with_them.history.epochs.view()[:, :6], without.history.epochs.view()[:, :6])


def test_files_round_trip_as_plain_arrays(recorded):
    directory = recorded.directory
    with np.load(directory / "histograms.npz", allow_pickle=False) as arrays:
        layers = len(recorded.history.layers)
        assert arrays["layers"].tolist() == recorded.history.layer_names
        assert arrays["kinds"].tolist() == list(KINDS)
        assert arrays["counts"].shape == (4, layers, len(KINDS), BINS)
        for key in ("low", "high", "minimum", "maximum", "nonfinite"):
            assert arrays[key].shape == (4, layers, len(KINDS))
        assert arrays["counts"].dtype == np.int64 and arrays["steps"].tolist()[0] == 0
    with np.load(directory / "confusion.npz", allow_pickle=False) as arrays:
        assert arrays["classes"].tolist() == ["0", "1"]
        assert arrays["matrices"].shape == (3, 2, 2) and arrays["epochs"].tolist() == [1, 2, 3]
    loaded = load_run(directory)
    assert not loaded.problem
    np.testing.assert_array_equal(loaded.history.histograms.view(), recorded.history.histograms.view())
    np.testing.assert_array_equal(loaded.history.confusion.view(), recorded.history.confusion.view())
    assert loaded.history.class_names == ["0", "1"]


def copy_run(source, target):
    target.mkdir()
    for path in source.iterdir():
        if not path.name.startswith("."):
            (target / path.name).write_bytes(path.read_bytes())
    return target


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other layers", "wrong shape", "pickled", "negative"])
def test_a_damaged_file_is_named_and_only_its_view_is_lost(recorded, tmp_path, damage):
    directory = copy_run(recorded.directory, tmp_path / "copy")
    path = directory / "histograms.npz"
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:200])
    elif damage == "garbage":
        path.write_bytes(b"not a zip file at all")
    else:
        with np.load(path, allow_pickle=False) as arrays:
            content = dict(arrays)
        if damage == "other layers":
            content["layers"] = np.array(["a", "b", "c"])
        elif damage == "wrong shape":
            content["counts"] = content["counts"][:, :, :, :10]
        elif damage == "pickled":
            content["layers"] = np.array(["layer 1", "layer 2", "output"], dtype=object)
        else:
            content["counts"] = -content["counts"]
        with open(path, "wb") as stream:
            np.savez(stream, **content)
    loaded = load_run(directory)
    history = loaded.history
    assert not len(history.histograms)
    assert any("histograms.npz unreadable" in event for event in history.events)
    assert len(history.confusion) == 3 and len(history.epochs) == 3  # the rest of the run is read


def test_a_damaged_confusion_file_loses_only_the_matrix(recorded, tmp_path):
    directory = copy_run(recorded.directory, tmp_path / "copy")
    with open(directory / "confusion.npz", "wb") as stream:
        np.savez(stream, classes=np.array(["0", "1", "2"]), epochs=np.arange(1, 4), steps=np.arange(3),
                 matrices=np.ones((3, 3, 3), dtype=np.int64))
    history = load_run(directory).history
    assert not len(history.confusion) and len(history.histograms) == 4
    assert any("confusion.npz unreadable" in event for event in history.events)


def test_histogram_of_values_with_nan_inf_and_of_nothing():
    row = histogram(torch.tensor([0.0, 1.0, 1.0, 2.0, math.nan, math.inf]))
    low, high, minimum, maximum, nonfinite = (float(value) for value in row[:5])
    counts = row[5:].numpy()
    assert (low, high, minimum, maximum, nonfinite) == (0.0, 2.0, 0.0, 2.0, 2.0)
    assert counts.sum() == 4 and counts[0] == 1 and counts[-1] == 1 and counts[BINS // 2] == 2
    constant = histogram(torch.full((5,), 3.0))
    assert float(constant[0]) == float(constant[1]) == 3.0 and float(constant[5]) == 5
    empty = histogram(torch.empty(0))
    assert math.isinf(float(empty[0])) and float(empty[5:].sum()) == 0


def test_a_range_narrows_to_where_the_values_crowd():
    """A dead layer: 9,990 zeros and ten outputs from 0.5 to 60. One bin of 0..60's would be ~1 wide and
    hold nearly everything; narrowed to that bin, the zeros get a bin of their own."""
    values = torch.cat([torch.zeros(9990), torch.linspace(0.5, 60.0, 10)])
    row = histogram(values)
    low, high, minimum, maximum = (float(value) for value in row[:4])
    counts = row[5:].numpy()
    assert (minimum, maximum) == (0.0, 60.0) and low == 0.0 and high < 1.0
    assert counts[0] == 9990 and counts.sum() == 10_000
    assert counts[-1] == 9 and counts[1:-1].sum() == 1  # 0.5 lies within the narrowed range, the rest beyond
    spread = histogram(torch.linspace(-1.0, 1.0, 1000))
    assert (float(spread[0]), float(spread[1])) == (-1.0, 1.0)  # values spread out: the full range


def test_strips_put_snapshots_of_different_ranges_on_one_axis():
    edges = np.linspace(-2.0, 2.0, 9)
    counts = np.zeros(BINS)
    counts[:] = 1
    moved = resampled(counts, 0.0, 1.0, edges)  # one unit wide, evenly spread: two cells of the eight
    np.testing.assert_allclose(moved, [0, 0, 0, 0, 32, 32, 0, 0])
    assert resampled(np.array([7.0] + [0.0] * (BINS - 1)), 0.3, 0.3, edges).tolist() == [0, 0, 0, 0, 7, 0, 0, 0]
    assert resampled(np.zeros(BINS), math.nan, math.nan, edges).sum() == 0


def test_many_snapshots_are_resampled_at_once_as_each_alone_by_interpolating_its_cumulative_counts():
    rng = np.random.default_rng(3)
    counts = rng.integers(0, 9, size=(20, BINS)).astype(float)
    low = rng.normal(size=20)
    high = low + rng.uniform(0.01, 2.0, size=20)
    high[3] = low[3]  # a single value
    counts[5] = 0  # an empty snapshot
    low[7] = math.nan  # no finite value
    edges = np.linspace(-3.0, 3.0, 41)
    together = resampled(counts, low, high, edges)
    for row in range(20):
        np.testing.assert_allclose(together[row], resampled(counts[row], low[row], high[row], edges))
        if row not in (3, 5, 7):
            own_edges = np.linspace(low[row], high[row], BINS + 1)
            cumulative = np.concatenate([[0.0], np.cumsum(counts[row])])
            np.testing.assert_allclose(together[row], np.diff(np.interp(edges, own_edges, cumulative)), atol=1e-9)
    assert together[3].sum() == counts[3].sum() and together[5].sum() == 0 and together[7].sum() == 0


def test_strip_shares_sum_to_one_per_snapshot(recorded):
    history = recorded.history
    snapshots = decode_histograms(history.histograms.view(), len(history.layers))
    edges, shares = strip(snapshots, 0, KINDS.index("weights"), 50)
    assert len(edges) == 51 and shares.shape == (4, 50)
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)


def test_comparison_exports_carry_the_confusion_matrices(recorded, tmp_path):
    other = copy_run(recorded.directory, tmp_path / "other")
    out = tmp_path / "out"
    write_comparison([recorded.directory, other], out / "comparison.csv")
    rows = list(csv.DictReader((out / "comparison-confusion.csv").open(encoding="utf-8")))
    assert len(rows) == 2 * 3 * 2 * 2  # two runs, three epochs, 2 x 2 cells
    assert set(rows[0]) == {"run", "directory", "epoch", "true_class", "predicted_class", "count"}
    matrices = decode_confusion(recorded.history.confusion.view(), 2).matrices
    assert [int(row["count"]) for row in rows[:4]] == matrices[0].ravel().tolist()
    write_comparison([recorded.directory, other], out / "comparison.png")
    assert (out / "comparison-confusion.png").read_bytes().startswith(b"\x89PNG")
    (tmp_path / "none").mkdir()
    bare = copy_run(recorded.directory, tmp_path / "bare")
    (bare / "confusion.npz").unlink()
    write_comparison([bare], tmp_path / "none" / "comparison.csv")
    assert sorted(path.name for path in (tmp_path / "none").iterdir()) == ["comparison.csv"]
