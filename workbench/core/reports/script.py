"""Export a run as a standalone PyTorch script that trains it again.

The script is assembled from Workbench's own sources with inspect.getsource (data pipeline, dataset
loader, model builder, metrics, and the loop in script_loop.py), so it cannot drift from what the app
trains. It imports only torch, numpy and what its dataset needs (scikit-learn, mnist1d, torchvision).
"""

from __future__ import annotations

import inspect
import pprint
import re
import textwrap
import time
from pathlib import Path

from workbench.core.data import augmentation, base, bundled, csv_file, sequences, torchvision_sets, toy
from workbench.core.data import bundle as data_module
from workbench.core.experiment import registry
from workbench.core.experiment.config import ConfigError, ExperimentConfig, load_experiment
from workbench.core.history import LayerInfo
from workbench.core.i18n import _
from workbench.core.reports import script_loop
from workbench.core.training import initialization, models, models_rnn, probes, steps

LINE_WIDTH = 100  # constants are wrapped and section rules drawn at this width, like the code
# Renames applied to every copied source: the script has no `registry` module and no pydantic models
# (its tables are SimpleNamespaces), and the factories get names that say what they make.
RENAMES = {
    r"\bregistry\.": "",
    r"\bDataConfig\b": "SimpleNamespace",
    r"\bModelConfig\b": "SimpleNamespace",
    r"^def optimizer\(": "def make_optimizer(",
    r"^def lr_scheduler\(": "def make_lr_scheduler(",
}


class ExportError(Exception):
    """A run that cannot be exported; the message says which and why."""


# The copied code words its errors through the translation functions of workbench/core/i18n.py; in the
# script they keep the English text.
TRANSLATION_STANDINS = '''def _(message):
    """The message as written: the script speaks English."""
    return message


def ngettext(singular, plural, count):
    return singular if count == 1 else plural'''


# -- the script ---------------------------------------------------------------------------------------
def _source(*objects) -> str:
    """The source of functions/classes, renamed for the script, separated by two blank lines."""
    parts = []
    for item in objects:
        text = textwrap.dedent(inspect.getsource(item)).rstrip()
        for pattern, replacement in RENAMES.items():
            text = re.sub(pattern, replacement, text, flags=re.MULTILINE)
        parts.append(text)
    return "\n\n\n".join(parts)


def _constants(module, *names: str) -> str:
    return "\n".join(f"{name} = {pprint.pformat(getattr(module, name), width=LINE_WIDTH, sort_dicts=False)}"
                     for name in names)


def _config_literal(tables: dict) -> str:
    """The experiment as a dict literal, one key per line, grouped by table like the TOML file."""
    lines = ["{"]
    for table, values in tables.items():
        lines.append(f"    {table!r}: {{")
        lines += [f"        {key!r}: {value!r}," for key, value in values.items()]
        lines.append("    },")
    return "\n".join([*lines, "}"])


def _section(title: str) -> str:
    return f"\n\n# {'-' * 20} {title} {'-' * (LINE_WIDTH - 25 - len(title))}\n"


def _dataset_code(config: ExperimentConfig) -> tuple[list[str], str]:
    """Extra imports and the code that defines `load_raw(config)` for the run's dataset."""
    dataset = config.data.dataset
    if dataset in toy.TOY_GENERATORS:
        generator = toy.TOY_GENERATORS[dataset]
        code = "\n\n\n".join([
            _constants(toy, "TEST_SEED_OFFSET", "TEST_SHARE_DIVISOR"), _source(generator),
            f"TOY_GENERATORS = {{{dataset!r}: {generator.__name__}}}", _source(toy.load_toy),
            "load_raw = load_toy"])
        return [], code
    if dataset == "sequence_memory":
        code = "\n\n\n".join([
            _constants(sequences, "SEQUENCE_TEST_SEED_OFFSET", "SEQUENCE_TEST_SHARE_DIVISOR", "MEMORY_CLASSES"),
            _source(sequences.make_sequence_memory, sequences.load_sequence_memory),
            "load_raw = load_sequence_memory"])
        return [], code
    if dataset == "digits":
        code = "\n\n\n".join([_constants(bundled, "DIGIT_NAMES"),
                              _source(bundled._digits_arrays, bundled.load_digits_images,
                                      bundled.load_digits_dataset),
                              "load_raw = load_digits_dataset"])
        return ["import functools"], code
    if dataset == "mnist1d":
        shim = ('def load_mnist1d_arrays():\n    """MNIST-1D, generated afresh (about a second; the app caches '
                'it)."""\n    return make_mnist1d(MNIST1D_ARGUMENTS)')
        code = "\n\n\n".join([_constants(bundled, "DIGIT_NAMES", "MNIST1D_ARGUMENTS"),
                              _source(bundled.make_mnist1d), shim, _source(bundled.load_mnist1d_dataset),
                              "load_raw = load_mnist1d_dataset"])
        return [], code
    if dataset == "csv":
        code = "\n\n\n".join([
            _constants(csv_file, "MAX_CLASSES"),
            _source(csv_file._read_rows, csv_file._check_shape, csv_file._first_bad_cell, csv_file._class_order,
                    csv_file.read_csv_dataset, csv_file.load_csv_dataset),
            "load_raw = load_csv_dataset"])
        return ["import csv", "from pathlib import Path"], code
    data_dir = str(base.cache_root() / "datasets")
    shim = textwrap.dedent(f'''\
        # Where the app keeps the torchvision files on the machine that exported this script.
        DEFAULT_DATA_DIR = {data_dir!r}


        def load_torchvision_dataset(config):
            root = config.data_dir or DEFAULT_DATA_DIR
            class_name = TORCHVISION_CLASS_NAMES[config.dataset]
            x, y, class_names = read_torchvision_split(class_name, root, train=True, download=True)
            x_test, y_test, _ = read_torchvision_split(class_name, root, train=False, download=True)
            return RawDataset(x, y, x_test, y_test, class_names, "image")''')
    code = "\n\n\n".join([_constants(torchvision_sets, "TORCHVISION_CLASS_NAMES"),
                          _source(torchvision_sets.read_torchvision_split), shim,
                          "load_raw = load_torchvision_dataset"])
    return [], code


def _header(config: ExperimentConfig, origin: str) -> str:
    name = " ".join(config.name.split())  # one line, whatever the name holds
    needs = {"digits": "scikit-learn", "mnist1d": "mnist1d", "csv": "",
             "mnist": "torchvision", "fashion_mnist": "torchvision", "cifar10": "torchvision"}
    extra = needs.get(config.data.dataset, "scikit-learn" if config.data.dataset in ("moons", "circles",
                                                                                      "gaussians") else "")
    return textwrap.dedent(f"""\
        # Standalone PyTorch script of the Workbench run "{name}".
        # Exported {time.strftime("%Y-%m-%d %H:%M")} from {origin}.
        #
        # It rebuilds the run's data, model and training loop with the same seeds and prints the metrics of
        # every epoch and the final ones; on the CPU they match the run's metrics.csv and summary.json.
        # Needs: torch, numpy{", " + extra if extra else ""}.   Run: python <this file>
        # The functions below are copies of Workbench's own code (workbench/core), so they train exactly what
        # the app trained; only the diagnosis probes are left out.
        """)


def script_text(config: ExperimentConfig, origin: str = "an experiment") -> str:
    """The standalone script for `config`: header, imports, CONFIG, data, model, training loop."""
    extra_imports, dataset_code = _dataset_code(config)
    imports = ["from __future__ import annotations", "", *extra_imports, "import math",
               "from dataclasses import dataclass",
               "from types import SimpleNamespace", "from typing import Any", "",
               "import numpy as np", "import torch", "import torch.nn.functional as F",
               "import torch.nn.functional as functional", "from torch import nn"]
    data_code = "\n\n\n".join([
        TRANSLATION_STANDINS, _source(base.DatasetError, base.RawDataset), dataset_code,
        _constants(data_module, "VAL_SPLIT_STREAM", "IMBALANCE_STREAM", "TRAIN_SIZE_STREAM",
                   "LABEL_NOISE_STREAM", "ORDER_STREAM", "TEST_SHIFT_STREAM", "STREAM_OFFSET", "MIN_STD"),
        _source(data_module._stream, data_module._proportional_counts, data_module._pick_per_class,
                data_module._stratified_pick, data_module._imbalanced_pick, data_module._with_label_noise,
                data_module._split_indices, data_module._feature_stats, data_module._tensor),
        _constants(augmentation, "NOISE_SCALE", "FLIP_PROBABILITY", "ROTATION_MAX_DEGREES", "SHIFT_MAX_PIXELS"),
        _source(augmentation._uniform, augmentation._resample, augmentation.add_noise,
                augmentation.flip_horizontal, augmentation.shift, augmentation.rotate, augmentation.augment_batch,
                data_module._shifted_test_set),
        _source(data_module.DataBundle, data_module.load_data),
    ])
    model_code = "\n\n\n".join([
        _constants(registry, "ACTIVATION_MODULES", "OUTPUT_ACTIVATION", "INIT_NONLINEARITIES"),
        _source(ConfigError, LayerInfo, registry.activation_module),
        _constants(models, "POOL_SIZE", "CONV_KERNEL_SIZE"),
        _source(initialization.init_nonlinearity, initialization.init_weights, models.HiddenBlock,
                models.ProbedModel, models.build_model, models._image_shape, models._pooled, models._norm),
        _constants(models_rnn, "RECURRENT_MODULES", "GATED_CELL_ACTIVATION", "FORGET_BIAS"),
        _source(models_rnn.sequence_shape, models_rnn.RecurrentLayer, models_rnn.RecurrentModel,
                models_rnn.build_recurrent_model, models_rnn.open_forget_gates),
    ])
    training_code = "\n\n\n".join([
        _constants(registry, "OPTIMIZER_CLASSES"),
        _source(registry.optimizer, registry.lr_scheduler),
        _constants(probes, "EVAL_CHUNK", "TRAIN_EVAL_LIMIT"),
        _source(probes.loss_value, probes.evaluate, steps.training_loss, steps.train_step, steps.step_scheduler,
                steps.SplitEvaluation, steps.evaluate_splits, steps.BestWeights,
                script_loop.print_metrics, script_loop.train),
        "# The run's numbers are reproduced on the CPU; \"cuda\" trains faster, with slightly different sums.\n"
        'DEVICE = torch.device("cpu")\n\n\nif __name__ == "__main__":\n    train(CONFIG, DEVICE)',
    ])
    return (_header(config, origin) + "\n" + "\n".join(imports) + "\n\n"
            + "# The experiment, every key written out (the run's config.toml).\n"
            + f"CONFIG = {_config_literal(config.model_dump())}\n"
            + _section("data") + "\n" + data_code + "\n"
            + _section("model") + "\n" + model_code + "\n"
            + _section("training loop") + "\n" + training_code + "\n")


def export_script(source: str | Path | ExperimentConfig, out_path: str | Path) -> Path:
    """Write the standalone script of a run directory (or of a config) to `out_path`."""
    from workbench.core.files import write_text_atomic
    from workbench.core.rundir.layout import CONFIG

    out_path = Path(out_path)
    if isinstance(source, ExperimentConfig):
        config, origin = source, "an experiment"
    else:
        try:
            config, origin = load_experiment(Path(source) / CONFIG), f"the run directory {source}"
        except ConfigError as error:
            raise ExportError(_("{source} cannot be exported: {reason}").format(source=source, reason=error)) from None
    write_text_atomic(out_path, script_text(config, origin))
    return out_path
