"""The fault benchmark's cases: healthy experiments drawn from one space, and faults injected into them.

Every case is an experiment (the nested dict of an experiment file, validated by the config parser) plus
its label. A *base* is a healthy experiment drawn at random: dataset, architecture, optimizer with a
learning rate that trains it, seeds. A *fault case* is a base with one fault injected by toggles, at one
strength; its label is the root cause it injected, one CONTRACTS.md section 4 id. The benchmark
(diagnosis_bench.py) trains both, keeps a fault case only when the fault did measurable harm against its
own base (same seeds), and counts a harmless fault as one more healthy case.

Fault table: injected kind -> root cause (what the first finding must be) and the alternatives accepted
as first finding.

    kind            toggles (strengths)                                   root                  accepted too
    lr_high         train.lr per optimizer family (3 rates, LR_HIGH)      lr_too_high           divergence
    lr_low          train.lr per optimizer family (3 rates, LR_LOW)       lr_too_low            -
    init_large      model.init normal, init_std 1 / 3 / 10                bad_initialization    -
    init_tiny       model.init normal, init_std 1e-3 / 1e-5               bad_initialization    -
    init_zeros      model.init zeros                                      bad_initialization    -
    vanishing       6-10 sigmoid/tanh layers, no norm, no skip            vanishing_gradients   saturated_activations
    exploding       6-10 ReLU layers, normal init k/sqrt(width), no clip  exploding_gradients   bad_initialization,
                                                                                                divergence
    unnormalized    data.normalize false on the sets stored unscaled:     unnormalized_inputs   -
                    digits (pixels 0..16), CSV (columns on scales 1e-2..1e4)
    unshuffled      data.order sorted, data.shuffle false                 unshuffled_data       -
    weight_decay    train.weight_decay (3 strengths; decoupled for adamw) over_regularized      -
    l1              train.l1 1e-3 / 3e-3 / 1e-2                           over_regularized      -
    dropout         model.dropout 0.6 / 0.8 / 0.9                         over_regularized      -
    tiny_batch      train.batch_size 1 / 2 (epochs cut to ~4,000 steps)   small_batch_noise     -
    label_noise     data.label_noise 0.2 / 0.3 / 0.4                      label_noise           train_val_mismatch
    imbalance       data.imbalance 10 / 30 / 100                          class_imbalance       -
    capacity        linear activation / width 2 / one layer of 4          underfitting          -
    overfitting     data.train_size 30 / 60 / 120, two layers of 512      overfitting           -
                    (256 on the 2-D sets), 3x the epochs (at most 60)

The rule behind the table: the ROOT cause must come first, as the toggle a user has to change to cure
the run. An alternative is accepted only when (1) the contract's meaning of that id describes the injected
fault itself rather than a symptom that many causes share, and (2) its usual cure changes an injected
toggle. So `divergence` is accepted for a learning rate high enough to overflow the loss (its cure lowers
the rate), `saturated_activations` for a deep sigmoid/tanh stack (its cure changes the activation), and
for the exploding kind, whose injection is depth + a large init + no clipping, the ids that name the
init or the clipping, and `train_val_mismatch` for noisy training labels (its meaning: the training labels
differ from the validation labels; its fix sets data.label_noise to 0: on two classes, 30-40% of the labels
flipped leave the training loss no room to fall, which is what that id reads). Never accepted: `loss_plateau`, `underfitting`, `overfitting`, `late_collapse` or
`dead_relu` standing in for another cause (a plateau says nothing was learned, not why), and
`lr_too_high` for tiny batches (the batch size is the injected toggle). The benchmark also reports the
strict score (root first, no alternatives).

Split, by family (whole datasets and whole optimizer families, so tuning on one cannot see the other):

    tune      datasets spiral, moons, digits (MLP and CNN)         optimizers sgd, momentum, nesterov, adam
    heldout   datasets circles, xor, gaussians, mnist1d, csv        optimizers adamw, rmsprop, adagrad

Every base of a split draws its dataset and optimizer from that split only; the CNN lives in the tune
split (digits is the only image set), MNIST-1D and the CSV files in the held-out one.

Everything is drawn from numpy generators seeded by (generator seed, split, index), so the same seed gives
the same cases on every machine; only the CSV's absolute path differs.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from workbench.core.experiment import registry
from workbench.core.experiment.config import experiment_from_dict

HEALTHY = "healthy"  # the label of a case without a fault


@dataclass(frozen=True)
class Split:
    datasets: tuple[str, ...]
    optimizers: tuple[str, ...]


SPLITS = {
    "tune": Split(("spiral", "moons", "digits"), ("sgd", "momentum", "nesterov", "adam")),
    "heldout": Split(("circles", "xor", "gaussians", "mnist1d", "csv"), ("adamw", "rmsprop", "adagrad")),
}
BASES_PER_SPLIT = 100
# Fault cases per kind and split, spread evenly over the kind's strengths. About two thirds do measurable
# harm (656 of 1,003 in the first full run), well over the 400 failure cases the issue asks for.
CASES_PER_KIND = 30
TRAINING_SEEDS = (0, 1, 2, 3, 4)
SEED_REPLICA_OFFSET = 1000  # --seeds N: replica k runs every case with its seeds shifted by k * this

# -- the healthy space ------------------------------------------------------------------------------

TOY_NOISE = {"spiral": (0.03, 0.05), "moons": (0.1, 0.15), "circles": (0.05, 0.08), "xor": (0.03, 0.08),
             "gaussians": (0.3, 0.45)}
TOY_SAMPLES = (500, 800, 1200)
MNIST1D_TRAIN_SIZES = (0, 2000)  # 0 = the whole pool (3,200 after validation)
WIDTHS = (16, 32, 64, 128, 256)
ADAPTIVE_OPTIMIZERS = ("adagrad", "rmsprop", "adam", "adamw")
# Measured: sigmoid MLPs trained by sgd / momentum / nesterov at healthy rates stay at chance for 25
# epochs, and deeper than 2 layers they need more epochs than the budget under any optimizer.
SIGMOID_MAX_DEPTH = 2


@dataclass(frozen=True)
class DatasetSpace:
    """What a healthy base on one dataset may be: measured so that nearly every draw trains."""

    epochs: int
    sensible_val_acc: float  # a healthy run reaches this (a base below it is no baseline: dropped)
    widths: tuple[int, ...]
    depths: tuple[int, int]  # fewest and most hidden layers
    activations: tuple[str, ...]


EVERY_ACTIVATION = tuple(name for name in registry.ACTIVATIONS if name != "linear")  # linear: the capacity fault
DATASET_SPACES = {
    # The spiral needs 60 epochs of a wide rectifier-like MLP (measured: ELU, tanh, SELU, softplus and
    # sigmoid MLPs stay at 0.5-0.8 under momentum SGD).
    "spiral": DatasetSpace(60, 0.85, (64, 128), (2, 3), ("relu", "leaky_relu", "prelu", "gelu")),
    "moons": DatasetSpace(25, 0.9, WIDTHS, (1, 4), EVERY_ACTIVATION),
    "circles": DatasetSpace(25, 0.9, WIDTHS, (1, 4), EVERY_ACTIVATION),
    "xor": DatasetSpace(25, 0.9, WIDTHS, (1, 4), EVERY_ACTIVATION),
    "gaussians": DatasetSpace(25, 0.9, WIDTHS, (1, 4), EVERY_ACTIVATION),
    "digits": DatasetSpace(12, 0.85, WIDTHS, (1, 4), EVERY_ACTIVATION),
    # An MLP on MNIST-1D reaches 0.4-0.6 in 10 epochs and starts overfitting after; narrow ones underfit.
    "mnist1d": DatasetSpace(10, 0.4, (128, 256), (2, 3), tuple(a for a in EVERY_ACTIVATION if a != "sigmoid")),
    "csv": DatasetSpace(15, 0.8, WIDTHS, (1, 4), EVERY_ACTIVATION),
}
BASE_INITS = ("default", "default", "default", "kaiming_normal", "xavier_uniform", "orthogonal")
NORMALIZATIONS = ("none", "none", "batch", "layer")
RESIDUAL_SHARE = 0.3
CNN_SHARE = 0.4
CNN_CHANNELS = ([8, 16], [16, 32])
CNN_HEADS = ([32], [64])
BATCH_SIZES = (16, 32, 64)
# Learning rates that train each optimizer family (log-uniform between the two), measured on these sets.
HEALTHY_LR = {"sgd": (0.08, 0.3), "momentum": (0.01, 0.04), "nesterov": (0.01, 0.04),
              "adagrad": (0.01, 0.05), "rmsprop": (0.0005, 0.002), "adam": (0.002, 0.008),
              "adamw": (0.002, 0.008)}


@dataclass(frozen=True)
class CsvVariant:
    """A CSV of numeric features on very different scales (as real tables mix units), generated."""

    classes: int
    features: int
    scale_exponents: tuple[float, float]  # each column scaled by 10**U(low, high) and offset
    seed: int


CSV_VARIANTS = {
    "mixed": CsvVariant(classes=3, features=8, scale_exponents=(-1.0, 2.0), seed=11),
    "wide": CsvVariant(classes=2, features=12, scale_exponents=(-2.0, 4.0), seed=12),
}
CSV_ROWS = 1200
CSV_TARGET = "label"


def csv_text(variant: CsvVariant) -> str:
    """The CSV of a variant: scikit-learn's make_classification, then each column scaled and offset."""
    from sklearn.datasets import make_classification

    x, y = make_classification(n_samples=CSV_ROWS, n_features=variant.features,
                               n_informative=variant.features // 2, n_redundant=2, n_classes=variant.classes,
                               n_clusters_per_class=2, class_sep=1.5, random_state=variant.seed)
    rng = np.random.default_rng(variant.seed)
    scales = 10.0 ** rng.uniform(*variant.scale_exponents, variant.features)
    x = x * scales + rng.normal(0.0, 3.0, variant.features) * scales
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f"feature_{i}" for i in range(variant.features)] + [CSV_TARGET])
    writer.writerows([f"{value:.6g}" for value in row] + [int(label)] for row, label in zip(x, y, strict=True))
    return out.getvalue()


def write_csv_files(folder: Path) -> dict[str, str]:
    """Each variant's CSV under `folder`, named by a digest of its content (a changed generator gives a
    new file, hence new case hashes); variant -> absolute path."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, variant in CSV_VARIANTS.items():
        text = csv_text(variant)
        path = folder / f"{name}-{hashlib.sha256(text.encode()).hexdigest()[:10]}.csv"
        if not path.exists():
            temporary = path.with_suffix(".tmp")
            temporary.write_text(text)
            temporary.replace(path)
        paths[name] = str(path.resolve())
    return paths


def _log_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return float(f"{math.exp(rng.uniform(math.log(low), math.log(high))):.3g}")


def _pick(rng: np.random.Generator, options):
    return options[int(rng.integers(len(options)))]


def draw_base(rng: np.random.Generator, split: Split, csv_paths: dict[str, str]) -> dict:
    """One healthy experiment of `split`, as the nested dict of an experiment file."""
    dataset = _pick(rng, split.datasets)
    data: dict = {"dataset": dataset, "seed": int(_pick(rng, TRAINING_SEEDS))}
    if dataset in TOY_NOISE:
        data.update(n_samples=int(_pick(rng, TOY_SAMPLES)), noise=float(_pick(rng, TOY_NOISE[dataset])))
    elif dataset == "mnist1d":
        data["train_size"] = int(_pick(rng, MNIST1D_TRAIN_SIZES))
    elif dataset == "csv":
        data.update(path=csv_paths[_pick(rng, sorted(csv_paths))], target=CSV_TARGET)

    space = DATASET_SPACES[dataset]
    optimizer = _pick(rng, split.optimizers)
    activations = [a for a in space.activations if a != "sigmoid" or optimizer in ADAPTIVE_OPTIMIZERS]
    model: dict = {"normalization": _pick(rng, NORMALIZATIONS), "init": _pick(rng, BASE_INITS),
                   "activation": _pick(rng, activations)}
    if dataset == "digits" and rng.random() < CNN_SHARE:
        model.update(kind="cnn", channels=list(_pick(rng, CNN_CHANNELS)), hidden=list(_pick(rng, CNN_HEADS)))
    else:
        depth = int(rng.integers(space.depths[0], space.depths[1] + 1))
        if model["activation"] == "sigmoid":
            depth = min(depth, SIGMOID_MAX_DEPTH)
        model.update(kind="mlp", hidden=[int(_pick(rng, space.widths))] * depth,
                     residual=bool(depth >= 2 and rng.random() < RESIDUAL_SHARE))
    train = {"optimizer": optimizer, "lr": _log_uniform(rng, *HEALTHY_LR[optimizer]),
             "batch_size": int(_pick(rng, BATCH_SIZES)), "epochs": space.epochs,
             "seed": int(_pick(rng, TRAINING_SEEDS)), "device": "cpu"}
    return {"data": data, "model": model, "train": train}


# -- the faults -------------------------------------------------------------------------------------

# Per optimizer family: rates far above / below what trains it (HEALTHY_LR), three strengths each.
LR_HIGH = {"sgd": (2.0, 10.0, 50.0), "momentum": (0.5, 2.0, 10.0), "nesterov": (0.5, 2.0, 10.0),
           "adagrad": (2.0, 10.0, 50.0), "rmsprop": (0.1, 0.5, 3.0), "adam": (0.1, 0.5, 3.0),
           "adamw": (0.1, 0.5, 3.0)}
LR_LOW = {"sgd": (1e-3, 1e-4, 1e-5), "momentum": (1e-4, 1e-5, 1e-6), "nesterov": (1e-4, 1e-5, 1e-6),
          "adagrad": (1e-4, 1e-5, 1e-6), "rmsprop": (1e-5, 1e-6, 1e-7), "adam": (1e-5, 1e-6, 1e-7),
          "adamw": (1e-5, 1e-6, 1e-7)}
# Weight decay is decoupled in AdamW (the weights shrink by lr * decay per step, not by the gradient of
# decay * w^2 / 2), so the same harm needs values ~30x larger there.
WEIGHT_DECAY = (0.03, 0.1, 0.5)
ADAMW_WEIGHT_DECAY = (1.0, 5.0, 20.0)
# A batch-size-1 step takes ~0.2-0.5 ms here, up to ~0.9 ms with both cores busy: tiny-batch runs are cut
# to this many steps (fewer epochs than their base, yet 10-60x its updates) to stay within a case's 5 s.
MAX_TINY_BATCH_STEPS = 4_000
MIN_TINY_BATCH_EPOCHS = 3  # the loss-history rules judge nothing shorter
DEEP_WIDTH_RANGE = (16, 64)  # the width of the deep stacks: the base's, clipped to this
# Two layers this wide on 30-120 examples, trained 3x the base's epochs. On the 2-D sets every epoch also
# evaluates a 64x64 decision-boundary grid (measured: ~45 ms an epoch at width 512, ~11 ms at 256, more
# than half of such a run): they get 256, still ~1000x more weights than examples, and at most 60 epochs.
OVERFIT_WIDTH = 512
OVERFIT_WIDTH_2D = 256
OVERFIT_EPOCH_FACTOR = 3
MAX_OVERFIT_EPOCHS = 60

# Shares of wrong training labels. Below 50%, so that on the two-class sets the true class still holds
# the majority of each input's labels: at 50% the labels say nothing about the inputs, and no evidence
# could tell noise from a network that learns nothing.
LABEL_NOISE = (0.2, 0.3, 0.4)
# The sets stored on their own scale; MNIST-1D comes standardized (mean 0, std 1), the toy sets near it.
UNSCALED_DATASETS = ("digits", "csv")

Overrides = dict[str, object]


@dataclass(frozen=True)
class FaultKind:
    name: str
    root: str  # the CONTRACTS.md id the first finding must be
    alternatives: tuple[str, ...]
    strengths: tuple[str, ...]  # labels, in order of strength
    inject: Callable[[dict, int], Overrides]  # (base, strength index) -> dotted overrides
    applies: Callable[[dict, int], bool] = field(default=lambda base, strength: True)


def _mlp(base: dict, _strength: int = 0) -> bool:
    return base["model"]["kind"] == "mlp"


def train_count(base: dict) -> int:
    """Training examples of a base (after the validation split), to price a small-batch run."""
    data = base["data"]
    pool = {"digits": 1437, "mnist1d": 4000, "csv": CSV_ROWS}.get(data["dataset"], data.get("n_samples", 2000))
    count = round(pool * 0.8)
    return min(count, data["train_size"]) if data.get("train_size") else count


TINY_BATCHES = (1, 2)


def _tiny_batch_epochs(base: dict, strength: int) -> int:
    steps_per_epoch = math.ceil(train_count(base) / TINY_BATCHES[strength])
    return min(base["train"]["epochs"], MAX_TINY_BATCH_STEPS // steps_per_epoch)


def _tiny_batch_fits(base: dict, strength: int) -> bool:
    if base["model"]["normalization"] == "batch" and TINY_BATCHES[strength] < 2:
        return False  # batch normalization cannot train on one example (the config refuses it)
    return _mlp(base) and _tiny_batch_epochs(base, strength) >= MIN_TINY_BATCH_EPOCHS


def _tiny_batch(base: dict, strength: int) -> Overrides:
    return {"train.batch_size": TINY_BATCHES[strength], "train.epochs": _tiny_batch_epochs(base, strength)}


def _deep_width(base: dict) -> int:
    low, high = DEEP_WIDTH_RANGE
    return min(high, max(low, base["model"]["hidden"][0]))


def _vanishing(base: dict, strength: int) -> Overrides:
    activation, depth = (("sigmoid", 6), ("sigmoid", 10), ("tanh", 10))[strength]
    return {"model.hidden": [_deep_width(base)] * depth, "model.activation": activation,
            "model.normalization": "none", "model.residual": False}


def _exploding(base: dict, strength: int) -> Overrides:
    # init_std = k / sqrt(width): a ReLU layer then multiplies the signal's scale by about k / sqrt(2),
    # so eight layers at k = 3 grow it ~2,500x (PyTorch's default keeps it ~constant).
    depth, gain = ((6, 3.0), (8, 3.0), (10, 4.0))[strength]
    width = _deep_width(base)
    return {"model.hidden": [width] * depth, "model.activation": "relu", "model.init": "normal",
            "model.init_std": float(f"{gain / math.sqrt(width):.3g}"), "model.normalization": "none",
            "model.residual": False, "train.grad_clip": 0.0}


def _capacity(base: dict, strength: int) -> Overrides:
    depth = len(base["model"]["hidden"])
    return ({"model.activation": "linear"}, {"model.hidden": [2] * depth}, {"model.hidden": [4]})[strength]


def _overfitting(base: dict, strength: int) -> Overrides:
    width = OVERFIT_WIDTH_2D if base["data"]["dataset"] in TOY_NOISE else OVERFIT_WIDTH
    return {"data.train_size": (30, 60, 120)[strength], "model.hidden": [width] * 2,
            "model.residual": False,
            "train.epochs": min(MAX_OVERFIT_EPOCHS, OVERFIT_EPOCH_FACTOR * base["train"]["epochs"])}


def _weight_decay(base: dict, strength: int) -> Overrides:
    strengths = ADAMW_WEIGHT_DECAY if base["train"]["optimizer"] == "adamw" else WEIGHT_DECAY
    return {"train.weight_decay": strengths[strength]}


FAULT_KINDS: tuple[FaultKind, ...] = (
    FaultKind("lr_high", "lr_too_high", ("divergence",), ("high", "very high", "extreme"),
              lambda base, s: {"train.lr": LR_HIGH[base["train"]["optimizer"]][s]}),
    FaultKind("lr_low", "lr_too_low", (), ("low", "very low", "extreme"),
              lambda base, s: {"train.lr": LR_LOW[base["train"]["optimizer"]][s]}),
    FaultKind("init_large", "bad_initialization", (), ("std 1", "std 3", "std 10"),
              lambda base, s: {"model.init": "normal", "model.init_std": (1.0, 3.0, 10.0)[s]}),
    FaultKind("init_tiny", "bad_initialization", (), ("std 1e-3", "std 1e-5"),
              lambda base, s: {"model.init": "normal", "model.init_std": (1e-3, 1e-5)[s]}),
    FaultKind("init_zeros", "bad_initialization", (), ("zeros",), lambda base, s: {"model.init": "zeros"}),
    FaultKind("vanishing", "vanishing_gradients", ("saturated_activations",),
              ("6 sigmoid", "10 sigmoid", "10 tanh"), _vanishing, _mlp),
    FaultKind("exploding", "exploding_gradients", ("bad_initialization", "divergence"),
              ("6 x 3/sqrt(w)", "8 x 3/sqrt(w)", "10 x 4/sqrt(w)"), _exploding, _mlp),
    FaultKind("unnormalized", "unnormalized_inputs", (), ("raw inputs",),
              lambda base, s: {"data.normalize": False},
              lambda base, s: base["data"]["dataset"] in UNSCALED_DATASETS),
    FaultKind("unshuffled", "unshuffled_data", (), ("sorted by label",),
              lambda base, s: {"data.order": "sorted", "data.shuffle": False}),
    FaultKind("weight_decay", "over_regularized", (), ("strong", "very strong", "extreme"), _weight_decay),
    FaultKind("l1", "over_regularized", (), ("1e-3", "3e-3", "1e-2"),
              lambda base, s: {"train.l1": (1e-3, 3e-3, 1e-2)[s]}),
    FaultKind("dropout", "over_regularized", (), ("0.6", "0.8", "0.9"),
              lambda base, s: {"model.dropout": (0.6, 0.8, 0.9)[s]}),
    FaultKind("tiny_batch", "small_batch_noise", (), ("batch 1", "batch 2"), _tiny_batch, _tiny_batch_fits),
    FaultKind("label_noise", "label_noise", ("train_val_mismatch",), ("20%", "30%", "40%"),
              lambda base, s: {"data.label_noise": LABEL_NOISE[s]}),
    FaultKind("imbalance", "class_imbalance", (), ("10:1", "30:1", "100:1"),
              lambda base, s: {"data.imbalance": (10.0, 30.0, 100.0)[s]}),
    FaultKind("capacity", "underfitting", (), ("linear", "width 2", "one layer of 4"), _capacity, _mlp),
    FaultKind("overfitting", "overfitting", (), ("30 examples", "60 examples", "120 examples"),
              _overfitting, _mlp),
)
KINDS = {kind.name: kind for kind in FAULT_KINDS}


# -- cases ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    case_id: str  # "tune/b007", "heldout/lr_high/12"
    split: str
    kind: str  # a fault kind's name, or HEALTHY for a base
    strength: str
    root: str  # the injected root cause id, or HEALTHY
    alternatives: tuple[str, ...]
    config: dict  # the experiment, as the nested dict of an experiment file
    base_id: str = ""  # the healthy case this fault was injected into

    @property
    def key(self) -> str:
        return experiment_key(self.config)


def experiment_key(config: dict) -> str:
    """The experiment's canonical JSON: equal experiments train once (see diagnosis_bench's cache)."""
    return json.dumps(config, sort_keys=True)


def with_overrides(config: dict, overrides: Overrides) -> dict:
    changed = copy.deepcopy(config)
    for dotted, value in overrides.items():
        table, key = dotted.split(".")
        changed[table][key] = value
    return changed


def _replica(config: dict, replica: int) -> dict:
    """The experiment with its data and training seeds shifted for seed replica `replica`."""
    shift = replica * SEED_REPLICA_OFFSET
    return with_overrides(config, {"data.seed": config["data"]["seed"] + shift,
                                   "train.seed": config["train"]["seed"] + shift})


def generate_cases(csv_paths: dict[str, str], seed: int = 0, seeds: int = 1,
                   bases_per_split: int = BASES_PER_SPLIT, cases_per_kind: int = CASES_PER_KIND) -> list[Case]:
    """Every case, in a deterministic order: per split its bases, then its fault cases round-robin over
    the kinds (so any prefix of the faults covers the kinds evenly), each repeated for `seeds` seed
    replicas. Each experiment is validated by the config parser here, before anything trains."""
    cases = []
    for split_index, (split_name, split) in enumerate(SPLITS.items()):
        bases = [draw_base(np.random.default_rng([seed, split_index, index]), split, csv_paths)
                 for index in range(bases_per_split)]
        base_ids = [f"{split_name}/b{index:03d}" for index in range(bases_per_split)]
        per_kind = [_fault_cases(split_name, split_index, kind_index, bases, base_ids, seed, cases_per_kind)
                    for kind_index in range(len(FAULT_KINDS))]
        originals = [Case(base_id, split_name, HEALTHY, "", HEALTHY, (), base)
                     for base_id, base in zip(base_ids, bases, strict=True)]
        longest = max(map(len, per_kind))
        originals += [faults[j] for j in range(longest) for faults in per_kind if j < len(faults)]
        for replica in range(seeds):
            cases += [replicated(case, replica) for case in originals]
    for case in cases:
        experiment_from_dict(case.config, source=case.case_id)
    return cases


def replicated(case: Case, replica: int) -> Case:
    """The case at seed replica `replica` (its id and its base's suffixed with @sN); replica 0 is itself."""
    if replica == 0:
        return case
    suffix = f"@s{replica}"
    return Case(case.case_id + suffix, case.split, case.kind, case.strength, case.root, case.alternatives,
                _replica(case.config, replica), case.base_id + suffix if case.base_id else "")


def _fault_cases(split_name: str, split_index: int, kind_index: int, bases: list[dict], base_ids: list[str],
                 seed: int, count: int) -> list[Case]:
    """Up to `count` cases of one kind, its strengths in turn, each injected into a different base drawn
    from those it applies to: fewer when the split has too few such bases (a base never gets the same
    fault twice, which would count one experiment as two cases)."""
    kind = FAULT_KINDS[kind_index]
    rng = np.random.default_rng([seed, split_index, 1000 + kind_index])
    unused = []
    for strength in range(len(kind.strengths)):
        unused.append([i for i, base in enumerate(bases) if kind.applies(base, strength)])
        rng.shuffle(unused[strength])
    cases = []
    for number in range(count):
        strength = number % len(kind.strengths)
        if not unused[strength]:
            continue  # every base of this split that takes this strength has it already
        index = unused[strength].pop()
        config = with_overrides(bases[index], kind.inject(bases[index], strength))
        cases.append(Case(f"{split_name}/{kind.name}/{number:02d}", split_name, kind.name,
                          kind.strengths[strength], kind.root, kind.alternatives, config, base_ids[index]))
    return cases


def take_slice(cases: list[Case], faults_per_split: int) -> list[Case]:
    """The first `faults_per_split` fault cases of each split (generation order is round-robin over the
    kinds, so the slice covers them evenly) and the bases they were injected into."""
    taken: list[Case] = []
    counts: dict[str, int] = {}
    for case in cases:
        if case.kind != HEALTHY and counts.get(case.split, 0) < faults_per_split:
            counts[case.split] = counts.get(case.split, 0) + 1
            taken.append(case)
    needed = {case.base_id for case in taken}
    return [case for case in cases if case.case_id in needed] + taken
