"""Property: any experiment file, however broken, is either accepted and trains, or refused with messages
that each name a key of that file. Never another exception.

Files are generated from the schema itself (valid values of every key), then broken: wrong types, unknown
keys and tables, NaN/inf/negative/huge numbers, empty lists, unicode, nesting, cut or spliced text, deep
nesting and random bytes. WORKBENCH_FUZZ_EXAMPLES sets the count (`make fuzz-long`: 10,000, random);
the default run is small and derandomized so CI always checks the same files.
"""

from __future__ import annotations

import math
import os
import tomllib
import typing
from pathlib import Path

import annotated_types
import pytest
import tomli_w
import torch
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from workbench import cli
from workbench.core.data.bundle import DatasetError, load_data
from workbench.core.experiment import registry
from workbench.core.experiment.config import apply_overrides, load_experiment
from workbench.core.experiment.schema import (
    ConfigError,
    DataConfig,
    ExperimentConfig,
    MetaConfig,
    ModelConfig,
    TrainConfig,
)
from workbench.core.training.engine import Run
from workbench.core.training.models import build_model

CI_EXAMPLES = 300
FUZZ_EXAMPLES = int(os.environ.get("WORKBENCH_FUZZ_EXAMPLES", CI_EXAMPLES))
LONG_MODE = FUZZ_EXAMPLES > CI_EXAMPLES
TRAIN_ONE_IN = 12  # accepted files are all built; one in this many also trains an epoch (keeps CI fast)

TABLES = {"meta": MetaConfig, "data": DataConfig, "model": ModelConfig, "train": TrainConfig}
# The tiny version an accepted file is built as: same choices, small sizes, one epoch, offline data.
TINY_SAMPLES = 300
TINY_WIDTH = 32
TINY_CHANNELS = 8
OFFLINE_IMAGE_SET = "digits"  # stands in for the torchvision sets, which would download
DEEPEST_NESTING = 3000  # far past what any reader recurses through
NOT_UTF8 = "cannot read the file"  # load_experiment's words for bytes that are not UTF-8 text

# ---------------------------------------------------------------- values

key_names = st.text(min_size=1, max_size=12)
scalars = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from([0, -1, 2**31, 2**63 - 1, 10**30]),
    st.floats(),  # NaN, +-inf, subnormals, huge
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e308, -1e-308]),
    st.text(max_size=20),
    st.sampled_from(["", "nan", "inf", "1e400", "-5", "ümlaut ✓", "\u202e", "a\x00b", "名前"]),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)
nested = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(key_names, inner, max_size=3),
    max_leaves=8,
)


def _bounds(metadata) -> dict:
    bounds = {}
    for item in metadata:
        if isinstance(item, annotated_types.Ge):
            bounds["min_value"] = item.ge
        elif isinstance(item, annotated_types.Gt):
            bounds["min_value"], bounds["exclude_min"] = item.gt, True
        elif isinstance(item, annotated_types.Le):
            bounds["max_value"] = item.le
        elif isinstance(item, annotated_types.Lt):
            bounds["max_value"], bounds["exclude_max"] = item.lt, True
        elif isinstance(item, annotated_types.MinLen):
            bounds["min_size"] = item.min_length
        elif isinstance(item, annotated_types.MaxLen):
            bounds["max_size"] = item.max_length
    return bounds


def allowed_values(annotation, metadata=()) -> st.SearchStrategy:
    """Values the schema accepts for a key, read from its pydantic annotation and constraints."""
    bounds = _bounds(metadata)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is typing.Annotated:
        return allowed_values(args[0], args[1].metadata)
    if origin is list:
        return st.lists(allowed_values(args[0]), min_size=bounds.get("min_size", 0),
                        max_size=min(bounds.get("max_size", 8), 8))
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return st.integers(bounds.get("min_value"), bounds.get("max_value"))
    if annotation is float:
        numeric = {k: v for k, v in bounds.items() if k in ("min_value", "max_value", "exclude_min", "exclude_max")}
        return st.floats(**numeric, allow_nan=False)
    return st.text(max_size=min(bounds.get("max_size", 30), 30))


def field_values(table: str, key: str) -> st.SearchStrategy:
    field = TABLES[table].model_fields[key]
    return allowed_values(field.annotation, field.metadata)


# ---------------------------------------------------------------- documents


@st.composite
def valid_tables(draw) -> dict:
    """A file the schema accepts key by key (cross-key rules may still refuse it)."""
    document = {}
    for table, model in TABLES.items():
        keys = draw(st.lists(st.sampled_from(list(model.model_fields)), unique=True))
        values = {key: draw(field_values(table, key)) for key in keys}
        if table == "data":
            values["dataset"] = draw(field_values("data", "dataset"))
        if values or table == "data" or draw(st.booleans()):
            document[table] = values
    return document


@st.composite
def broken_tables(draw) -> dict:
    """A valid file with a few keys, tables or values replaced by what a hand edit or another version gives."""
    document = draw(valid_tables())
    for _ in range(draw(st.integers(0, 4))):
        table = draw(st.sampled_from(list(TABLES)) | key_names)
        action = draw(st.sampled_from(["value", "unknown key", "drop key", "drop table", "table is a value"]))
        fields = list(TABLES[table].model_fields) if table in TABLES else []
        if action == "drop table":
            document.pop(table, None)
        elif action == "table is a value":
            document[table] = draw(nested)
        elif action == "drop key" and isinstance(document.get(table), dict) and document[table]:
            document[table].pop(draw(st.sampled_from(sorted(document[table]))))
        else:
            key = draw(st.sampled_from(fields)) if fields and action == "value" else draw(key_names)
            values = document[table] if isinstance(document.get(table), dict) else {}
            values[key] = draw(nested | st.sampled_from([[], {}, [[]]]))
            document[table] = values
    return document


def splice(text: str, cut: int, insert: str) -> str:
    at = cut % (len(text) + 1)
    return text[:at] + insert + text[at + len(insert):]


@st.composite
def experiment_bytes(draw) -> bytes:
    """The bytes of an experiment file: TOML from the schema, broken TOML, deep nesting, any text, any bytes."""
    family = draw(st.sampled_from(["valid", "broken", "spliced", "deep", "text", "bytes"]))
    if family == "bytes":
        return draw(st.binary(max_size=300))
    if family == "text":
        return draw(st.text(max_size=300)).encode("utf-8")
    if family == "deep":
        depth = draw(st.integers(1, DEEPEST_NESTING))
        opening, closing = draw(st.sampled_from([("[", "]"), ("{a = ", "}")]))
        return f'[data]\ndataset = "moons"\n[model]\nhidden = {opening * depth}1{closing * depth}\n'.encode()
    document = draw(valid_tables() if family == "valid" else broken_tables())
    text = tomli_w.dumps(document)
    if family == "spliced":
        text = splice(text, draw(st.integers(0, 10_000)), draw(st.text(max_size=8)))
    return text.encode("utf-8")


# ---------------------------------------------------------------- what must hold


def named_places(document: dict) -> set[str]:
    """Every place of a parsed file, spelled as problems spell them: `table`, `table.key`, `table.key[0]`."""
    places = set()

    def visit(value, names: list[str], indices: list[int]) -> None:
        places.add(".".join(names) + "".join(f"[{index}]" for index in indices))
        if isinstance(value, dict):
            for key, inner in value.items():
                visit(inner, [*names, key], indices)
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                visit(inner, names, [*indices, index])

    for table, value in document.items():
        visit(value, [table], [])
    return places


def schema_places() -> set[str]:
    return {*TABLES, *(f"{table}.{key}" for table, model in TABLES.items() for key in model.model_fields)}


def assert_problems_name_the_file(problems: list[str], content: bytes) -> None:
    assert problems, "a refusal without a single problem"
    try:
        document = tomllib.loads(content.decode("utf-8"))
    except UnicodeDecodeError:
        assert all(problem.startswith(NOT_UTF8) for problem in problems), problems
        return
    except (tomllib.TOMLDecodeError, RecursionError):
        assert all(problem.startswith("not valid TOML") for problem in problems), problems
        return
    in_file = named_places(document)
    for problem in problems:
        place = next((p for p in in_file | schema_places() if problem.startswith(f"{p}: ")), None)
        assert place is not None, f"names no key of the file: {problem!r}"
        # A key the file lacks may only be named to say that it is required.
        assert place in in_file or problem.startswith(f"{place}: required"), problem


def tiny_version(config: ExperimentConfig) -> ExperimentConfig:
    data, model = config.data, config.model
    overrides = {
        "data.n_samples": min(data.n_samples, TINY_SAMPLES),
        "data.train_size": min(data.train_size or TINY_SAMPLES, TINY_SAMPLES),
        "model.hidden": [min(width, TINY_WIDTH) for width in model.hidden],
        "model.channels": [min(width, TINY_CHANNELS) for width in model.channels],
        "train.epochs": 1,
        "train.device": "cpu",
    }
    if data.dataset in registry.TORCHVISION_DATASETS:
        overrides["data.dataset"] = OFFLINE_IMAGE_SET
    return apply_overrides(config, overrides)


def build_or_train(config: ExperimentConfig, content: bytes, train: bool) -> None:
    tiny = tiny_version(config)
    try:
        if train:
            event("trained one epoch")
            run = Run(tiny).fit()
            assert run.status in ("completed", "diverged", "early_stopped"), (run.status, run.error)
            assert run.history.epochs_run <= 1
            return
        bundle = load_data(tiny.data)
        build_model(tiny.model, bundle.input_shape, bundle.n_classes)
    except ConfigError as error:  # what only the data reveals (model.kind = "cnn" on 2-D points)
        event("refused when built")
        assert_problems_name_the_file(error.problems, content)
    except DatasetError as error:  # a CSV file that is not there: one sentence that names it
        assert tiny.data.dataset == "csv" and tiny.data.path in str(error), str(error)


@pytest.fixture(scope="module")
def experiment_file(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "experiment.toml"


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=not LONG_MODE,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(content=experiment_bytes(), train_ticket=st.integers(0, TRAIN_ONE_IN - 1))
# Files that once crashed after being accepted (found by the long mode or by review): torch refused them
# at training time, or the model builder did.
@example(content=b'[data]\ndataset = "spiral"\n[train]\noptimizer = "nesterov"\nmomentum = 0.0\n', train_ticket=0)
@example(content=b'[data]\ndataset = "moons"\n[train]\nlr_schedule = "plateau"\nlr_decay = 1.0\n', train_ticket=0)
@example(content=b'[data]\ndataset = "moons"\ntrain_size = 1\n[model]\nnormalization = "batch"\n', train_ticket=0)
@example(content=b'[data]\ndataset = "mnist1d"\n[model]\nkind = "cnn"\n', train_ticket=0)
def test_any_file_is_accepted_and_trains_or_refused_naming_its_keys(experiment_file, content, train_ticket):
    experiment_file.write_bytes(content)
    try:
        config = load_experiment(experiment_file)
    except ConfigError as error:
        event("refused")
        assert_problems_name_the_file(error.problems, content)
        return
    event("accepted")
    assert config.name  # the file's stem when meta.name is absent
    build_or_train(config, content, train=train_ticket == 0)


def test_deep_nesting_is_refused_as_not_valid_toml(experiment_file):
    experiment_file.write_text(f'[data]\ndataset = "moons"\nx = {"[" * DEEPEST_NESTING}{"]" * DEEPEST_NESTING}\n')
    with pytest.raises(ConfigError) as caught:
        load_experiment(experiment_file)
    assert caught.value.problems == ["not valid TOML: arrays or inline tables nested too deeply to read"]


def test_a_key_spelled_as_a_number_is_named_as_written():
    from workbench.core.experiment.config import parse_experiment

    with pytest.raises(ConfigError) as caught:
        parse_experiment('[data]\ndataset = "moons"\n[train]\n"0" = 1\n')
    assert caught.value.problems[0].startswith("train.0: unknown key")


@pytest.mark.parametrize(("table_text", "key"), [
    ('[model]\nkind = "cnn"\n', "model.kind"),  # a CNN needs images; moons are 2-D points
    pytest.param('[train]\ndevice = "mps"\n', "train.device", marks=pytest.mark.skipif(
        torch.backends.mps.is_available(), reason="this machine has an MPS device")),
])
def test_a_file_refused_only_when_built_exits_2_naming_the_key(tmp_path, capsys, table_text, key):
    experiment = tmp_path / "late.toml"
    experiment.write_text('[data]\ndataset = "moons"\nn_samples = 100\n' + table_text)
    assert cli.main(["run", str(experiment), "--out", str(tmp_path / "run")]) == 2
    assert capsys.readouterr().err.startswith(f"error: {experiment}: {key}: ")
