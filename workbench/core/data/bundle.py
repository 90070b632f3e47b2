"""Datasets as tensors on the training device, with every [data] option of the experiment file applied.

The loaders in this package produce a RawDataset (training pool + test set); this module carves out the
validation set and applies, to the training set only, in this order: imbalance, train_size, label_noise,
order, then normalization (with training-set statistics, shared by validation and test); last, test_shift
changes the test set only (the augmentations' transformations, once, at test_shift_strength). Each random step
draws from its own seeded stream, so switching one option on never changes what another one picked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from workbench.core.data.augmentation import augment_batch
from workbench.core.data.loaders import DatasetError, RawDataset, load_raw
from workbench.core.experiment.schema import DataConfig
from workbench.core.i18n import _, ngettext

__all__ = ["DataBundle", "DatasetError", "input_preview", "load_data"]

# One random stream per step (numpy seeds accept [seed, stream]).
(VAL_SPLIT_STREAM, IMBALANCE_STREAM, TRAIN_SIZE_STREAM, LABEL_NOISE_STREAM, ORDER_STREAM, PREVIEW_STREAM,
 TEST_SHIFT_STREAM) = range(7)
STREAM_OFFSET = 0x5EED
# A feature whose training std is below this is constant: it is centred but not scaled (no 0/0 NaN).
MIN_STD = 1e-6
# A scatter needs this many points to show the shape of a 2-D toy set.
MIN_PREVIEW_POINTS = 1000


@dataclass
class DataBundle:
    """The data of one run, on its device. The engine indexes the tensors directly (no DataLoader)."""

    train_x: torch.Tensor  # float32, after order / train_size / imbalance / label_noise / normalize
    train_y: torch.Tensor  # int64, the labels the model trains on (noisy when label_noise > 0)
    val_x: torch.Tensor
    val_y: torch.Tensor
    test_x: torch.Tensor | None
    test_y: torch.Tensor | None
    n_classes: int
    input_shape: tuple[int, ...]  # one example: (2,) toy, (40,) mnist1d, (C, H, W) images, (F,) csv, (T, 1) sequences
    kind: str  # "points" | "vector" | "image" | "sequence"
    class_names: list[str]
    feature_mean: torch.Tensor | None  # the standardization applied; None when normalize = false
    feature_std: torch.Tensor | None
    clean_train_y: torch.Tensor  # training labels before label_noise
    shuffle: bool = True
    sampler: str = "random"  # "balanced": every class drawn equally often (with replacement)
    augmentations: tuple[str, ...] = ()
    data_std: torch.Tensor | None = None  # std of train_x (per feature / channel): the noise augmentation's scale

    def batch_indices(self, epoch: int, batch_size: int, generator: torch.Generator,
                      min_batch: int = 1) -> list[torch.Tensor]:
        """Index tensors (on the data's device) of each batch of an epoch, the last one possibly shorter;
        a last batch under `min_batch` examples is left out (batch norm cannot train on one example).

        With shuffle, a fresh permutation drawn from `generator` (its state, not `epoch`, makes each epoch
        differ, so a seeded generator replays the same epochs); without, the stored order every epoch:
        random-but-fixed for order = "random", by label for order = "sorted".
        """
        count, device = len(self.train_y), self.train_y.device
        if self.sampler == "balanced":
            per_example = self.balanced_class_weights().cpu()[self.train_y.cpu()]
            order = torch.multinomial(per_example, count, replacement=True, generator=generator).to(device)
        elif self.shuffle:
            order = torch.randperm(count, generator=generator, device=generator.device).to(device)
        else:
            order = torch.arange(count, device=device)
        batches = list(order.split(batch_size))
        if len(batches) > 1 and len(batches[-1]) < min_batch:
            batches = batches[:-1]
        return batches

    def balanced_class_weights(self) -> torch.Tensor:
        """Per class: the training examples over (classes x that class's examples), so that every class
        weighs as much in total; a class with no training example weighs 0."""
        counts = torch.bincount(self.train_y, minlength=self.n_classes).to(torch.float32)
        weights = len(self.train_y) / (self.n_classes * counts)
        return torch.where(counts > 0, weights, torch.zeros_like(weights))

    def augment(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """A training batch with the experiment's augmentations applied (x itself when there are none):
        noise = Gaussian of 0.1 x the training std; rotate / flip / crop = small rotation, horizontal flip
        with p = 0.5, shift by up to 2 pixels; the last three for images only."""
        if not self.augmentations:
            return x
        return augment_batch(x, self.augmentations, self.kind, self.data_std, generator)


def _stream(seed: int, stream: int) -> np.random.Generator:
    # Offset the stream number: numpy's SeedSequence ignores trailing zero words, so [seed, 0] would
    # replay default_rng(seed), the very stream that generated the toy data (a biased validation split).
    return np.random.default_rng([seed, STREAM_OFFSET + stream])


def _proportional_counts(class_counts: np.ndarray, total: int) -> np.ndarray:
    """`total` shared over the classes in proportion to their sizes (largest remainders round up)."""
    exact = class_counts * total / class_counts.sum()
    counts = np.floor(exact).astype(np.int64)
    by_remainder = np.argsort(-(exact - counts), kind="stable")
    counts[by_remainder[: total - counts.sum()]] += 1
    return counts


def _pick_per_class(y: np.ndarray, take: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Positions (ascending) of a random `take[c]` examples of each class c (classes in ascending order)."""
    _classes, class_of, class_counts = np.unique(y, return_inverse=True, return_counts=True)
    grouped = np.lexsort((rng.random(len(y)), class_of))  # by class, random within a class
    class_starts = np.concatenate([[0], np.cumsum(class_counts)[:-1]])
    rank_in_class = np.arange(len(y)) - class_starts[class_of[grouped]]
    return np.sort(grouped[rank_in_class < take[class_of[grouped]]])


def _stratified_pick(y: np.ndarray, total: int, rng: np.random.Generator) -> np.ndarray:
    _classes, class_counts = np.unique(y, return_counts=True)
    return _pick_per_class(y, _proportional_counts(class_counts, total), rng)


def _imbalanced_pick(y: np.ndarray, ratio: float, rng: np.random.Generator) -> np.ndarray:
    """Subsample so class sizes decay geometrically from the first class to the last, by `ratio` overall,
    keeping as many examples as the classes allow."""
    _classes, class_counts = np.unique(y, return_counts=True)
    if len(class_counts) < 2:
        return np.arange(len(y))
    decay = ratio ** (-np.arange(len(class_counts)) / (len(class_counts) - 1))
    largest = np.min(class_counts / decay)  # the biggest first class every other class can still follow
    take = np.maximum(1, np.round(largest * decay)).astype(np.int64)
    return _pick_per_class(y, take, rng)


def _with_label_noise(y: np.ndarray, n_classes: int, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """A copy of y where `fraction` of the labels are replaced by a random *other* class, so exactly that
    share of the training labels is wrong."""
    noisy = y.copy()
    chosen = rng.choice(len(y), size=round(fraction * len(y)), replace=False)
    noisy[chosen] = (y[chosen] + rng.integers(1, n_classes, size=len(chosen))) % n_classes
    return noisy


def _split_indices(y: np.ndarray, config: DataConfig) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation positions in the pool; the training ones already in training order."""
    if len(y) < 2:
        raise DatasetError(ngettext(
            "The {dataset} data has {count} example; a training and a validation set need at least 2, so add "
            "examples.",
            "The {dataset} data has {count} examples; a training and a validation set need at least 2, so add "
            "examples.", len(y)).format(dataset=config.dataset, count=len(y)))
    val_count = min(max(1, round(config.val_fraction * len(y))), len(y) - 1)
    val_positions = _stratified_pick(y, val_count, _stream(config.seed, VAL_SPLIT_STREAM))
    train = np.setdiff1d(np.arange(len(y)), val_positions)
    if config.imbalance > 1:
        train = train[_imbalanced_pick(y[train], config.imbalance, _stream(config.seed, IMBALANCE_STREAM))]
    if 0 < config.train_size < len(train):
        # Stratified, so a small training set keeps every class (and the imbalance ratio).
        train = train[_stratified_pick(y[train], config.train_size, _stream(config.seed, TRAIN_SIZE_STREAM))]
    train = train[_stream(config.seed, ORDER_STREAM).permutation(len(train))]
    if config.order == "sorted":
        train = train[np.argsort(y[train], kind="stable")]
    return train, val_positions


def _feature_stats(x: torch.Tensor, kind: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and std per feature (vectors, points, sequences) or per channel (images), shaped like one example."""
    if kind == "image":
        std, mean = torch.std_mean(x, dim=(0, 2, 3), correction=0)
        return mean[:, None, None], std[:, None, None]
    if kind == "sequence":  # (steps, features): every step holds the same features, measured over all steps
        std, mean = torch.std_mean(x, dim=(0, 1), correction=0)
        return mean[None], std[None]
    std, mean = torch.std_mean(x, dim=0, correction=0)
    return mean, std


def _shifted_test_set(test_x: torch.Tensor | None, config: DataConfig, kind: str,
                      data_std: torch.Tensor) -> torch.Tensor:
    """The (normalized) test inputs with data.test_shift's transformations applied once, drawn from their
    own seeded stream: the same shifted test set at every evaluation and in every run of the experiment."""
    if test_x is None:
        raise DatasetError(_("data.test_shift: the {dataset} data has no test split to shift; leave "
                             "data.test_shift empty").format(dataset=config.dataset))
    seed = int(_stream(config.seed, TEST_SHIFT_STREAM).integers(2**62))
    generator = torch.Generator(device="cpu").manual_seed(seed)
    return augment_batch(test_x, tuple(config.test_shift), kind, data_std, generator, config.test_shift_strength)


def _tensor(array: np.ndarray, device: torch.device, dtype: torch.dtype) -> torch.Tensor:
    # Move first, convert on the device: uint8 images cross to a GPU at a quarter of the size.
    return torch.from_numpy(np.ascontiguousarray(array)).to(device).to(dtype)


def load_data(config: DataConfig, device: torch.device | str = "cpu") -> DataBundle:
    """The experiment's data as tensors on `device`; raises DatasetError with one sentence when it can't."""
    device = torch.device(device)
    raw: RawDataset = load_raw(config)
    n_classes = len(raw.class_names)
    train, val = _split_indices(raw.y, config)
    clean_y = raw.y[train]
    train_y = clean_y
    if config.label_noise > 0:
        train_y = _with_label_noise(clean_y, n_classes, config.label_noise,
                                    _stream(config.seed, LABEL_NOISE_STREAM))

    def features(array: np.ndarray) -> torch.Tensor:
        return _tensor(array, device, torch.float32)

    def labels(array: np.ndarray) -> torch.Tensor:
        return _tensor(array, device, torch.int64)

    train_x, val_x = features(raw.x[train]), features(raw.x[val])
    test_x = features(raw.x_test) if raw.x_test is not None else None
    mean = std = None
    if config.normalize:
        mean, std = _feature_stats(train_x, raw.kind)
        std = torch.where(std < MIN_STD, torch.ones_like(std), std)
        train_x, val_x = (train_x - mean) / std, (val_x - mean) / std
        test_x = (test_x - mean) / std if test_x is not None else None
    data_std = _feature_stats(train_x, raw.kind)[1]
    if config.test_shift:
        test_x = _shifted_test_set(test_x, config, raw.kind, data_std)
    return DataBundle(
        train_x=train_x, train_y=labels(train_y), val_x=val_x, val_y=labels(raw.y[val]),
        test_x=test_x, test_y=labels(raw.y_test) if raw.y_test is not None else None,
        n_classes=n_classes, input_shape=tuple(raw.x.shape[1:]), kind=raw.kind,
        class_names=list(raw.class_names), feature_mean=mean, feature_std=std,
        clean_train_y=labels(clean_y), shuffle=config.shuffle, sampler=config.sampler,
        augmentations=tuple(config.augment), data_std=data_std,
    )


def input_preview(config: DataConfig, count: int = 16) -> tuple[np.ndarray, np.ndarray, str]:
    """A small raw sample (no options applied) for the app's dataset preview: x as float32, y, kind.

    `count` examples are drawn at random with the data seed; for 2-D points at least MIN_PREVIEW_POINTS,
    since a scatter of a few points does not show a spiral.
    """
    raw = load_raw(config)
    wanted = max(count, MIN_PREVIEW_POINTS) if raw.kind == "points" else count
    chosen = np.sort(_stream(config.seed, PREVIEW_STREAM).choice(len(raw.y), min(wanted, len(raw.y)),
                                                                 replace=False))
    return raw.x[chosen].astype(np.float32), raw.y[chosen], raw.kind
