"""Damaged dataset files: each refused with one sentence naming the file and what is wrong (never a
traceback, never training on part of the data), and a damaged MNIST-1D cache generated again.

Every file here is a tiny one built in tmp_path in its real format; nothing is downloaded.
"""

from __future__ import annotations

import gzip
import io
import pickle
import struct
import threading

import numpy as np
import pytest
from test_data import no_network, write_csv, write_idx, write_tiny_cifar10, write_tiny_mnist

from workbench import cli
from workbench.core.data import bundled
from workbench.core.data.bundle import DatasetError, load_data
from workbench.core.experiment.schema import DataConfig

# ---------------------------------------------------------------- MNIST-style IDX files


def mnist_refusal(root) -> str:
    """The sentence loading MNIST from root gives; it must say the files are damaged, not missing."""
    with pytest.raises(DatasetError) as caught:
        load_data(DataConfig(dataset="mnist", data_dir=str(root)))
    message = str(caught.value)
    assert f"The MNIST files in {root / 'MNIST' / 'raw'} are damaged or incomplete (" in message, message
    assert "could not be downloaded" not in message  # present files are never taken for missing ones
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    return message


@pytest.fixture
def mnist_raw(tmp_path, monkeypatch):
    """The raw folder of a tiny intact MNIST (30 training and 10 test images) that tests then damage."""
    no_network(monkeypatch)
    write_tiny_mnist(tmp_path)
    return tmp_path / "MNIST" / "raw"


def test_the_intact_files_the_damage_starts_from_load(mnist_raw):
    """So each refusal below is the damage's doing: the fixture's files are well-formed IDX and load."""
    header = (mnist_raw / "train-images-idx3-ubyte").read_bytes()[:16]
    assert struct.unpack(">IIII", header) == (0x803, 30, 28, 28)
    data = load_data(DataConfig(dataset="mnist", data_dir=str(mnist_raw.parent.parent)))
    assert len(data.train_y) + len(data.val_y) == 30


def test_a_label_file_shorter_than_its_image_file_is_refused_naming_both_and_their_counts(mnist_raw):
    write_idx(mnist_raw / "train-labels-idx1-ubyte", np.arange(29) % 10)
    message = mnist_refusal(mnist_raw.parent.parent)
    assert "train-labels-idx1-ubyte holds 29 labels but train-images-idx3-ubyte holds 30 images" in message


def test_a_label_outside_0_to_9_is_a_sentence_not_a_traceback(mnist_raw):
    labels = np.arange(10) % 10
    labels[4] = 12
    write_idx(mnist_raw / "t10k-labels-idx1-ubyte", labels)
    message = mnist_refusal(mnist_raw.parent.parent)
    assert "t10k-labels-idx1-ubyte gives example 5 the label 12, outside 0 to 9" in message


def test_a_wrong_magic_number_is_named(mnist_raw):
    images = mnist_raw / "train-images-idx3-ubyte"
    content = bytearray(images.read_bytes())
    content[3] = 0x04  # says 4 dimensions
    images.write_bytes(bytes(content))
    message = mnist_refusal(mnist_raw.parent.parent)
    assert "train-images-idx3-ubyte starts with 0x00000804, not the IDX magic number 0x00000803" in message


def test_a_file_left_gzip_compressed_is_named_as_such(mnist_raw):
    labels = mnist_raw / "train-labels-idx1-ubyte"
    labels.write_bytes(gzip.compress(labels.read_bytes()))
    message = mnist_refusal(mnist_raw.parent.parent)
    assert "train-labels-idx1-ubyte starts with 0x1F8B" in message and "gzip-compressed" in message


@pytest.mark.parametrize(("cut", "expected"), [
    (-100, "train-images-idx3-ubyte is truncated: 23436 bytes where its header's dimensions 30 x 28 x 28 need "
           "23536"),
    (7, "train-images-idx3-ubyte is 7 bytes long, too short for an IDX header"),
    (0, "train-images-idx3-ubyte is 0 bytes long, too short for an IDX header"),
], ids=["short-of-pixels", "short-of-header", "zero-bytes"])
def test_a_truncated_image_file_is_named_with_its_size(mnist_raw, cut, expected):
    images = mnist_raw / "train-images-idx3-ubyte"
    images.write_bytes(images.read_bytes()[:cut])
    assert expected in mnist_refusal(mnist_raw.parent.parent)


def test_an_image_file_longer_than_its_header_says_is_named(mnist_raw):
    images = mnist_raw / "t10k-images-idx3-ubyte"
    images.write_bytes(images.read_bytes() + bytes(784))
    assert "t10k-images-idx3-ubyte is longer than its header says" in mnist_refusal(mnist_raw.parent.parent)


# ---------------------------------------------------------------- CIFAR-10 batches


def cifar_refusal(root) -> str:
    with pytest.raises(DatasetError) as caught:
        load_data(DataConfig(dataset="cifar10", data_dir=str(root)))
    message = str(caught.value)
    assert f"The CIFAR10 files in {root / 'cifar-10-batches-py'} are damaged or incomplete (" in message, message
    assert "could not be downloaded" not in message
    return message


@pytest.fixture
def cifar_folder(tmp_path, monkeypatch):
    no_network(monkeypatch)
    write_tiny_cifar10(tmp_path, monkeypatch)
    return tmp_path / "cifar-10-batches-py"


def test_a_cifar_file_failing_its_checksum_is_damaged_not_missing(cifar_folder, monkeypatch):
    import torchvision

    cifar = torchvision.datasets.CIFAR10
    checksums = [[name, "0" * 32 if name == "data_batch_3" else None] for name, _ in cifar.train_list]
    monkeypatch.setattr(cifar, "train_list", checksums)
    message = cifar_refusal(cifar_folder.parent)
    assert "data_batch_3 does not match the checksum of the published CIFAR-10 file" in message


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "test_batch cannot be unpickled: Ran out of input"),
    (pickle.dumps({"data": np.zeros((4, 3072), np.uint8), "labels": [0, 1, 2, 3]})[:50],
     "test_batch cannot be unpickled: pickle data was truncated"),
    (pickle.dumps({"data": np.zeros((3, 3072), np.uint8), "labels": [0, 10, 2]}),
     "test_batch gives example 2 the label 10, outside 0 to 9"),
], ids=["zero-bytes", "truncated", "label-outside-0-9"])
def test_a_damaged_cifar_batch_is_named(cifar_folder, content, expected):
    (cifar_folder / "test_batch").write_bytes(content)
    assert expected in cifar_refusal(cifar_folder.parent)


# ---------------------------------------------------------------- the MNIST-1D cache


def small_mnist1d(arguments: dict) -> dict[str, np.ndarray]:
    """Arrays shaped like make_mnist1d's, made in no time (the real generation takes over a second)."""
    rng = np.random.default_rng(0)
    length = arguments["final_seq_length"]
    return {"x": rng.normal(size=(40, length)).astype(np.float32), "y": np.arange(40, dtype=np.int64) % 10,
            "x_test": rng.normal(size=(10, length)).astype(np.float32), "y_test": np.arange(10, dtype=np.int64)}


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


INTACT = small_mnist1d(bundled.MNIST1D_ARGUMENTS)
DAMAGED_CACHES = {
    "zero-bytes": lambda: b"",
    "truncated": lambda: npz_bytes(INTACT)[:700],
    "garbage": lambda: bytes(range(256)) * 4,
    "label-outside-0-9": lambda: npz_bytes({**INTACT, "y": INTACT["y"] + 5}),
    "nan-signal": lambda: npz_bytes({**INTACT, "x_test": np.full_like(INTACT["x_test"], np.nan)}),
    "short-signals": lambda: npz_bytes({**INTACT, "x": INTACT["x"][:, :20]}),
    "fewer-labels": lambda: npz_bytes({**INTACT, "y": INTACT["y"][:-1]}),
    "missing-array": lambda: npz_bytes({"x": INTACT["x"], "y": INTACT["y"]}),
}


@pytest.mark.parametrize("damage", DAMAGED_CACHES)
def test_a_damaged_mnist1d_cache_is_generated_again(tmp_path, monkeypatch, damage):
    monkeypatch.setattr(bundled, "cache_root", lambda: tmp_path)
    generations = []

    def counted_generation(arguments):
        generations.append(arguments)
        return small_mnist1d(arguments)

    monkeypatch.setattr(bundled, "make_mnist1d", counted_generation)
    cache = bundled.mnist1d_cache_path()
    cache.parent.mkdir(parents=True)
    cache.write_bytes(DAMAGED_CACHES[damage]())

    arrays = bundled.load_mnist1d_arrays()
    assert len(generations) == 1 and np.array_equal(arrays["y"], INTACT["y"])
    again = bundled.load_mnist1d_arrays()  # the rewritten cache is read, not generated a third time
    assert len(generations) == 1 and np.array_equal(again["x"], INTACT["x"])


def test_mnist1d_generated_by_threads_at_once_is_the_one_dataset(tmp_path, monkeypatch):
    """The app's data preview and a run load MNIST-1D at once on a fresh cache. mnist1d's make_dataset seeds numpy's
    global generator and draws from it, so two generations interleaved in one process gave two different datasets,
    and one of them stayed in the cache for good (seen under Xvfb: the app ran on 322 examples of a class where the
    CLI, from the same experiment file, had 318). One generation runs at a time, and the cache is filled once."""
    monkeypatch.setattr(bundled, "cache_root", lambda: tmp_path)
    generate = bundled.make_mnist1d
    generations = []

    def counted_generation(arguments):
        generations.append(arguments)
        return generate(arguments)

    monkeypatch.setattr(bundled, "make_mnist1d", counted_generation)
    loaded = []
    threads = [threading.Thread(target=lambda: loaded.append(bundled.load_mnist1d_arrays())) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(generations) == 1 and len(loaded) == 3
    alone = generate(bundled.MNIST1D_ARGUMENTS)  # with nothing beside it
    for arrays in loaded:
        assert all(np.array_equal(arrays[name], alone[name]) for name in ("x", "y", "x_test", "y_test"))


# ---------------------------------------------------------------- CSV values


@pytest.mark.parametrize(("value", "expected"), [
    ("1e300", "line 4: column 'b' holds '1e300', which is too large for the 32-bit floats that training uses"),
    ("-4e38", "line 4: column 'b' holds '-4e38', which is too large for the 32-bit floats"),
    ("nan", "line 4: column 'b' holds 'nan', which is not a finite number"),
])
def test_a_csv_value_that_is_not_a_finite_float32_is_refused_naming_file_column_and_line(tmp_path, value,
                                                                                        expected):
    config = write_csv(tmp_path, f"a,b,label\n1,2,x\n3,4,y\n5,{value},x\n6,7,y\n")
    with pytest.raises(DatasetError) as caught:
        load_data(config)
    assert str(caught.value).startswith(f"{config.path}, {expected}")


def test_a_value_just_inside_float32_is_kept(tmp_path):
    config = write_csv(tmp_path, "a,label\n1,x\n3e38,y\n-3e38,x\n0,y\n")
    data = load_data(config.model_copy(update={"normalize": False}))
    assert np.isfinite(data.train_x.numpy()).all() and data.train_x.abs().max().item() == pytest.approx(3e38)


def test_the_cli_prints_the_sentence_after_the_experiment_file_and_exits_2(tmp_path, capsys):
    data = tmp_path / "data.csv"
    data.write_text("a,label\n1,x\n1e300,y\n2,x\n3,y\n", encoding="utf-8")
    experiment = tmp_path / "experiment.toml"
    experiment.write_text(f'[data]\ndataset = "csv"\npath = {str(data)!r}\ntarget = "label"\n', encoding="utf-8")
    assert cli.main(["run", str(experiment), "--out", str(tmp_path / "run")]) == 2
    sentence = (f"error: {experiment}: {data}, line 3: column 'a' holds '1e300', which is too large for the "
                f"32-bit floats that training uses (at most about 3.4e38); rescale that column.")
    assert sentence in capsys.readouterr().err.splitlines()
