"""The datasets and every [data] option, checked by what a user would see: shapes, counts, orders, scales."""

from __future__ import annotations

import pickle
import struct

import numpy as np
import pytest
import torch

from workbench.core.data import bundled
from workbench.core.data.bundle import DatasetError, input_preview, load_data
from workbench.core.experiment import registry
from workbench.core.experiment.schema import DataConfig


def digits(**options) -> DataConfig:
    return DataConfig(dataset="digits", **options)


def class_counts(labels: torch.Tensor, n_classes: int) -> list[int]:
    return torch.bincount(labels, minlength=n_classes).tolist()


# ---------------------------------------------------------------- the offline sets


@pytest.mark.parametrize("name", registry.TOY_DATASETS)
def test_toy_set_has_a_train_validation_and_test_split_of_2d_points(name):
    data = load_data(DataConfig(dataset=name, n_samples=400))
    assert data.train_x.shape == (320, 2) and data.val_x.shape == (80, 2) and data.test_x.shape == (100, 2)
    assert data.kind == "points" and data.input_shape == (2,)
    assert data.n_classes == (3 if name == "gaussians" else 2)
    assert data.train_x.dtype == torch.float32 and data.train_y.dtype == torch.int64
    assert set(data.train_y.tolist()) == set(range(data.n_classes)) == set(data.test_y.tolist())


def test_toy_test_set_is_drawn_with_another_seed():
    data = load_data(DataConfig(dataset="moons", n_samples=400, normalize=False))
    pool = torch.cat([data.train_x, data.val_x])
    nearest = torch.cdist(data.test_x, pool).min(dim=1).values
    assert (nearest > 0).all()


@pytest.mark.parametrize("name", ["spiral", "xor", "gaussians"])
def test_toy_noise_blurs_the_points(name):
    crisp = load_data(DataConfig(dataset=name, n_samples=200, noise=0.0, normalize=False)).train_x
    noisy = load_data(DataConfig(dataset=name, n_samples=200, noise=0.5, normalize=False)).train_x
    assert noisy.std() > crisp.std()
    if name == "xor":  # without noise every point lies in the [-1, 1] square
        assert crisp.abs().max() <= 1 and noisy.abs().max() > 1


def test_digits_are_8x8_images_with_a_stratified_test_split():
    data = load_data(digits(normalize=False))
    assert data.kind == "image" and data.input_shape == (1, 8, 8) and data.n_classes == 10
    assert len(data.train_y) + len(data.val_y) + len(data.test_y) == 1797
    assert len(data.test_y) == 360
    assert min(class_counts(data.test_y, 10)) >= 35
    assert data.train_x.min() == 0 and data.train_x.max() == 16  # raw scale kept
    assert data.class_names == [str(digit) for digit in range(10)]


def test_mnist1d_is_generated_once_then_read_from_the_cache(monkeypatch):
    first = load_data(DataConfig(dataset="mnist1d"))
    assert first.kind == "vector" and first.input_shape == (40,) and first.n_classes == 10
    assert len(first.train_y) + len(first.val_y) == 4000 and first.test_x.shape == (1000, 40)

    def no_generation(arguments):
        raise AssertionError("MNIST-1D was generated again instead of read from the cache")

    monkeypatch.setattr(bundled, "make_mnist1d", no_generation)
    second = load_data(DataConfig(dataset="mnist1d"))
    assert torch.equal(first.train_x, second.train_x) and torch.equal(first.test_y, second.test_y)


# ---------------------------------------------------------------- torchvision sets, tiny files in their real format

MNIST_FILES = {"train": "train", "test": "t10k"}


def write_idx(path, array: np.ndarray) -> None:
    """An IDX file as MNIST ships it: magic (0, 0, uint8 type 0x08, ndim), big-endian sizes, raw bytes."""
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def write_tiny_mnist(root, folder="MNIST", per_class=3) -> None:
    raw = root / folder / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for split, prefix in MNIST_FILES.items():
        count = 10 * per_class if split == "train" else 10
        images = rng.integers(0, 256, (count, 28, 28))
        images[0, 0, 0], images[0, 0, 1] = 0, 255
        write_idx(raw / f"{prefix}-images-idx3-ubyte", images)
        write_idx(raw / f"{prefix}-labels-idx1-ubyte", np.arange(count) % 10)


def write_tiny_cifar10(root, monkeypatch, per_batch=10) -> None:
    """CIFAR-10's python-pickle batches; the real files' checksums are relaxed for these tiny ones."""
    import torchvision

    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    cifar = torchvision.datasets.CIFAR10
    for name, _ in cifar.train_list + cifar.test_list:
        batch = {"data": rng.integers(0, 256, (per_batch, 3072), dtype=np.uint8),
                 "labels": [i % 10 for i in range(per_batch)]}
        (folder / name).write_bytes(pickle.dumps(batch))
    names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    (folder / "batches.meta").write_bytes(pickle.dumps({"label_names": names}))
    monkeypatch.setattr(cifar, "train_list", [[name, None] for name, _ in cifar.train_list])
    monkeypatch.setattr(cifar, "test_list", [[name, None] for name, _ in cifar.test_list])
    monkeypatch.setattr(cifar, "meta", {**cifar.meta, "md5": None})


def no_network(monkeypatch):
    """Every download fails as it does offline, so no test touches the network."""
    import torchvision

    def offline(self):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz:\nTried https://example.org/, got:\n"
                           "<urlopen error [Errno -2] Name or service not known>")

    for name in ("MNIST", "FashionMNIST", "CIFAR10"):
        monkeypatch.setattr(getattr(torchvision.datasets, name), "download", offline)


@pytest.mark.parametrize(("name", "folder"), [("mnist", "MNIST"), ("fashion_mnist", "FashionMNIST")])
def test_mnist_style_files_load_as_grey_images(tmp_path, monkeypatch, name, folder):
    no_network(monkeypatch)
    write_tiny_mnist(tmp_path, folder)
    raw = load_data(DataConfig(dataset=name, data_dir=str(tmp_path), normalize=False))
    assert raw.kind == "image" and raw.input_shape == (1, 28, 28) and raw.n_classes == 10
    assert len(raw.train_y) + len(raw.val_y) == 30 and raw.test_x.shape == (10, 1, 28, 28)
    assert raw.train_x.min() == 0 and raw.train_x.max() == 255  # pixels keep 0..255
    normalized = load_data(DataConfig(dataset=name, data_dir=str(tmp_path)))
    assert abs(normalized.train_x.mean().item()) < 1e-4 and abs(normalized.train_x.std().item() - 1) < 1e-2
    assert normalized.feature_mean.shape == (1, 1, 1)  # one statistic per channel


def test_cifar10_batches_load_as_colour_images_with_their_class_names(tmp_path, monkeypatch):
    no_network(monkeypatch)
    write_tiny_cifar10(tmp_path, monkeypatch)
    data = load_data(DataConfig(dataset="cifar10", data_dir=str(tmp_path), normalize=False))
    assert data.input_shape == (3, 32, 32) and data.train_x.shape[1:] == (3, 32, 32)
    assert len(data.train_y) + len(data.val_y) == 50 and len(data.test_y) == 10
    assert data.class_names[0] == "airplane" and data.class_names[-1] == "truck"
    normalized = load_data(DataConfig(dataset="cifar10", data_dir=str(tmp_path)))
    per_channel_mean = normalized.train_x.mean(dim=(0, 2, 3))
    assert normalized.feature_std.shape == (3, 1, 1) and per_channel_mean.abs().max() < 1e-4


def test_a_truncated_mnist_file_is_reported_not_raised_as_a_traceback(tmp_path, monkeypatch):
    no_network(monkeypatch)
    write_tiny_mnist(tmp_path)
    images = tmp_path / "MNIST" / "raw" / "train-images-idx3-ubyte"
    images.write_bytes(images.read_bytes()[:1000])
    with pytest.raises(DatasetError, match="damaged or incomplete") as caught:
        load_data(DataConfig(dataset="mnist", data_dir=str(tmp_path)))
    assert str(tmp_path / "MNIST" / "raw") in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_truncated_cifar_batch_is_reported(tmp_path, monkeypatch):
    no_network(monkeypatch)
    write_tiny_cifar10(tmp_path, monkeypatch)
    batch = tmp_path / "cifar-10-batches-py" / "data_batch_3"
    batch.write_bytes(batch.read_bytes()[:100])
    with pytest.raises(DatasetError, match="damaged or incomplete"):
        load_data(DataConfig(dataset="cifar10", data_dir=str(tmp_path)))


@pytest.mark.parametrize(("name", "folder"), [("mnist", "MNIST/raw"), ("cifar10", "cifar-10-batches-py")])
def test_a_missing_dataset_offline_names_the_folder_and_the_fix(tmp_path, monkeypatch, name, folder):
    no_network(monkeypatch)
    with pytest.raises(DatasetError) as caught:
        load_data(DataConfig(dataset=name, data_dir=str(tmp_path / "nowhere")))
    message = str(caught.value)
    assert str(tmp_path / "nowhere" / folder) in message
    assert "could not be downloaded" in message and "Name or service not known" in message
    assert "data.data_dir" in message


# ---------------------------------------------------------------- CSV files


def write_csv(tmp_path, text: str, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return DataConfig(dataset="csv", path=str(path), target="label", val_fraction=0.25)


def test_csv_reads_numeric_features_quoted_fields_and_sorted_string_labels(tmp_path):
    rows = "".join(f'{i},"{i * 0.5}","{"cat, small" if i % 2 else "ant"}"\n' for i in range(8))
    data = load_data(write_csv(tmp_path, '"x","y z",label\n' + rows).model_copy(update={"normalize": False}))
    assert data.kind == "vector" and data.input_shape == (2,) and data.n_classes == 2
    assert data.class_names == ["ant", "cat, small"]
    assert data.test_x is None
    x = torch.cat([data.train_x, data.val_x])
    y = torch.cat([data.train_y, data.val_y])
    assert torch.equal(y, (x[:, 0] % 2).long())  # odd rows are "cat, small" = class 1
    assert torch.allclose(x[:, 1], x[:, 0] * 0.5)


def test_csv_numeric_labels_sort_as_numbers(tmp_path):
    rows = "".join(f"{i},{label}\n" for i, label in enumerate([9, 10, 2, 9, 10, 2, 9, 10]))
    assert load_data(write_csv(tmp_path, "x,label\n" + rows)).class_names == ["2", "9", "10"]


def test_csv_constant_column_is_centred_without_nan(tmp_path):
    rows = "".join(f"{i},7,{i % 2}\n" for i in range(12))
    data = load_data(write_csv(tmp_path, "x,constant,label\n" + rows))
    assert torch.isfinite(data.train_x).all() and torch.isfinite(data.val_x).all()
    assert (data.train_x[:, 1] == 0).all()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "No CSV file at"),
        ("", "empty (0 bytes)"),
        ("a,b,kind\n1,2,x\n", "no column named 'label'; its columns are 'a', 'b', 'kind'"),
        ("a,label\n1,x\n2,y\nthree,x\n", "line 4: column 'a' holds 'three', which is not a number"),
        ("a,b,label\n1,2,x\n3,,y\n", "line 3: column 'b' has no value"),
        ("a,label\n1,x\n2,x\n", "holds only one value ('x')"),
        ("a,label\n1,x\n" + '2,"' + "y" * 200_000 + '"\n', "line 3: cannot be read as CSV (field larger"),
        ("a,label\n1,x\n2,y,5\n", "line 3: has 3 fields but the header names 2 columns"),
        ("a,label\n1,x\ninf,y\n", "column 'a' holds 'inf', which is not a finite number"),
        ("a,label\n", "no data rows"),
    ],
    ids=["missing", "zero-bytes", "no-target", "not-numeric", "missing-value", "one-class", "huge-field",
         "ragged-row", "infinite", "header-only"],
)
def test_csv_problems_are_one_clear_sentence(tmp_path, text, expected):
    config = write_csv(tmp_path, text or "")
    if text is None:
        config = config.model_copy(update={"path": str(tmp_path / "absent.csv")})
    with pytest.raises(DatasetError) as caught:
        load_data(config)
    assert expected in str(caught.value)
    assert caught.value.__cause__ is None


# ---------------------------------------------------------------- the options


def test_validation_is_a_stratified_share_of_the_training_pool():
    data = load_data(digits(val_fraction=0.5))
    assert abs(len(data.val_y) - len(data.train_y)) <= 1
    assert max(abs(a - b) for a, b in zip(class_counts(data.val_y, 10), class_counts(data.train_y, 10),
                                          strict=True)) <= 1


def test_sorted_order_is_sorted_by_label_and_stays_so_without_shuffle():
    data = load_data(digits(order="sorted", shuffle=False))
    assert torch.equal(data.train_y, torch.sort(data.train_y).values)
    generator = torch.Generator().manual_seed(0)
    first_batch = data.batch_indices(0, 64, generator)[0]
    assert set(data.train_y[first_batch].tolist()) == {0}  # a single-class batch: what the user sees


def test_random_order_is_mixed():
    data = load_data(digits(shuffle=False))
    first_batch = data.train_y[data.batch_indices(0, 64, torch.Generator())[0]]
    assert len(set(first_batch.tolist())) >= 8


def test_shuffle_draws_a_new_permutation_every_epoch_and_no_shuffle_keeps_the_order():
    shuffled = load_data(digits())
    generator = torch.Generator().manual_seed(0)
    epoch_0, epoch_1 = (torch.cat(shuffled.batch_indices(epoch, 100, generator)) for epoch in (0, 1))
    assert not torch.equal(epoch_0, epoch_1)
    assert torch.equal(torch.sort(epoch_0).values, torch.arange(len(shuffled.train_y)))
    batches = shuffled.batch_indices(2, 100, generator)
    assert [len(b) for b in batches] == [100] * 11 + [len(shuffled.train_y) - 1100]

    fixed = load_data(digits(shuffle=False))
    first, second = (torch.cat(fixed.batch_indices(epoch, 100, generator)) for epoch in (0, 1))
    assert torch.equal(first, second) and torch.equal(first, torch.arange(len(fixed.train_y)))


@pytest.mark.parametrize("ratio", [5.0, 20.0])
def test_imbalance_sets_the_largest_to_smallest_class_ratio(ratio):
    data = load_data(digits(imbalance=ratio))
    counts = class_counts(data.train_y, 10)
    assert counts[0] == max(counts) and counts == sorted(counts, reverse=True)
    assert counts[0] / counts[-1] == pytest.approx(ratio, rel=0.1)
    assert class_counts(data.val_y, 10) == class_counts(load_data(digits()).val_y, 10)  # validation untouched


def test_label_noise_makes_that_share_of_training_labels_wrong():
    clean = load_data(digits())
    noisy = load_data(digits(label_noise=0.3))
    wrong = (noisy.train_y != noisy.clean_train_y).float().mean().item()
    assert wrong == pytest.approx(0.3, abs=0.002)
    assert torch.equal(noisy.clean_train_y, clean.train_y) and torch.equal(clean.clean_train_y, clean.train_y)
    assert torch.equal(noisy.val_y, clean.val_y)


def test_train_size_keeps_that_many_examples_of_every_class():
    data = load_data(digits(train_size=50))
    assert len(data.train_y) == 50 and min(class_counts(data.train_y, 10)) >= 4
    assert len(data.val_y) == len(load_data(digits()).val_y)


def test_normalize_standardizes_with_training_statistics():
    data = load_data(DataConfig(dataset="mnist1d"))
    assert data.train_x.mean(dim=0).abs().max() < 1e-4
    assert (data.train_x.std(dim=0, correction=0) - 1).abs().max() < 1e-3
    raw = load_data(DataConfig(dataset="mnist1d", normalize=False))
    assert raw.feature_mean is None and raw.feature_std is None
    assert torch.allclose(data.val_x, (raw.val_x - data.feature_mean) / data.feature_std)
    assert torch.allclose(data.test_x, (raw.test_x - data.feature_mean) / data.feature_std)


def test_same_seed_same_data_other_seed_other_data():
    options = {"n_samples": 300, "label_noise": 0.1, "imbalance": 2.0, "train_size": 150}
    first, again = (load_data(DataConfig(dataset="spiral", **options)) for _ in range(2))
    other = load_data(DataConfig(dataset="spiral", seed=1, **options))
    for attribute in ("train_x", "train_y", "val_x", "test_x", "clean_train_y"):
        assert torch.equal(getattr(first, attribute), getattr(again, attribute))
    assert not torch.equal(first.train_x, other.train_x)


def test_every_augmentation_changes_an_image_batch_and_keeps_its_shape():
    data = load_data(digits())
    batch = data.train_x[:64]
    for name in registry.AUGMENTATIONS:
        augmenting = load_data(digits(augment=[name]))
        out = augmenting.augment(batch, torch.Generator().manual_seed(0))
        assert out.shape == batch.shape and out.dtype == batch.dtype, name
        assert not torch.equal(out, batch), name
    assert data.augment(batch, torch.Generator()) is batch  # no augmentation: untouched


def test_flip_mirrors_about_half_the_images():
    data = load_data(digits(augment=["flip"]))
    batch = data.train_x[:200]
    out = data.augment(batch, torch.Generator().manual_seed(0))
    mirrored = (out == batch.flip(-1)).flatten(1).all(dim=1) & ~(out == batch).flatten(1).all(dim=1)
    assert 0.35 < mirrored.float().mean() < 0.65


def test_points_get_noise_but_no_image_transforms():
    geometric = load_data(DataConfig(dataset="moons", n_samples=200, augment=["rotate", "flip", "crop"]))
    batch = geometric.train_x[:32]
    assert torch.equal(geometric.augment(batch, torch.Generator()), batch)
    noisy = load_data(DataConfig(dataset="moons", n_samples=200, augment=["noise"]))
    jitter = noisy.augment(batch, torch.Generator().manual_seed(0)) - batch
    assert 0.05 < jitter.std().item() < 0.15  # 0.1 x the (normalized, unit) std


def test_input_preview_gives_a_raw_sample_for_the_picture():
    x, y, kind = input_preview(digits(), count=16)
    assert kind == "image" and x.shape == (16, 1, 8, 8) and y.shape == (16,) and x.max() <= 16
    points, labels, kind = input_preview(DataConfig(dataset="spiral"))
    assert kind == "points" and points.shape == (1000, 2) and set(labels.tolist()) == {0, 1}
