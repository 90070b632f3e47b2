"""The experiment file: TOML load/save, the checks across keys and of [sweep], `--set` overrides (the
tables themselves are schema.py's models).

Every problem in a file is collected and reported at once (ConfigError.problems), each naming its key
the way a user writes it (`train.lr`), the bad value and what is allowed. Nothing is half-loaded.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from workbench.core.experiment import registry
from workbench.core.experiment.messages import (
    constraint_text,
    did_you_mean,
    needed_type,
    show_value,
    toml_type,
)
from workbench.core.experiment.recurrent import recurrent_problems
from workbench.core.experiment.schema import (
    FILE_TABLES,
    MAX_TRIALS,
    SWEEPABLE_TABLES,
    TABLES,
    ConfigError,
    ExperimentConfig,
    RandomRange,
)
from workbench.core.files import read_regular_text, write_text_atomic
from workbench.core.i18n import _, ngettext

# An experiment file is a few hundred bytes; anything past this is not one (and is not read into memory).
MAX_EXPERIMENT_BYTES = 1_000_000
def _allowed_keys(loc: tuple) -> list[str]:
    if len(loc) == 1:
        return list(FILE_TABLES)
    if loc[:2] == ("sweep", "random") and len(loc) == 4:  # a key inside one range, sweep.random."train.lr".x
        return list(RandomRange.model_fields)
    table = FILE_TABLES.get(str(loc[0]))
    return list(table.model_fields) if table else []


def _problem(error: dict) -> str:
    # pydantic gives list positions as ints and table keys as strings (a key may be spelled "0")
    names = [str(part) for part in error["loc"] if not isinstance(part, int)]
    key = ".".join(names) + "".join(f"[{part}]" for part in error["loc"] if isinstance(part, int))
    loc = tuple(str(part) for part in error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc)
        template = _("{key}: unknown table{hint}; allowed: {allowed}") if len(loc) == 1 else \
            _("{key}: unknown key{hint}; allowed: {allowed}")
        return template.format(key=key, hint=did_you_mean(loc[-1], allowed), allowed=", ".join(allowed))
    if kind == "missing":
        return _("{key}: required but missing").format(key=key)
    if kind == "literal_error":
        options = error.get("ctx", {}).get("expected", "")
        hint = did_you_mean(value, [o.strip(" '") for o in str(options).replace(" or ", ",").split(",")])
        return _("{key}: {value} is not a choice{hint}; allowed: {allowed}").format(
            key=key, value=show_value(value), hint=hint, allowed=options)
    if kind == "float_type" and isinstance(value, int) and not isinstance(value, bool):  # beyond a float (10**400)
        return _("{key}: {value} is not allowed: it is too large to be a number").format(key=key, value=show_value(value))
    if kind in ("int_type", "float_type", "bool_type", "string_type", "list_type"):
        return _("{key}: {value} is {found}; {needed} is needed").format(
            key=key, value=show_value(value), found=toml_type(value), needed=needed_type(kind))
    reason = constraint_text(kind, error.get("ctx", {})) or error["msg"].lower()
    return _("{key}: {value} is not allowed: {reason}").format(key=key, value=show_value(value), reason=reason)


def _test_shift_problems(data) -> list[str]:
    """data.test_shift needs a test split to change, and images for the transformations that move pixels."""
    if not data.test_shift:
        return []
    if data.dataset in registry.DATASETS_WITHOUT_TEST_SPLIT:
        return [_("data.test_shift: the {dataset} data has no test split to shift (it is split into training "
                  "and validation only); leave data.test_shift empty").format(dataset=data.dataset)]
    geometric = [name for name in data.test_shift if name in registry.GEOMETRIC_AUGMENTATIONS]
    if geometric and data.dataset not in registry.IMAGE_DATASETS:
        return [ngettext("data.test_shift: {names} moves pixels and the {dataset} data are not images; only "
                         "\"noise\" applies to it",
                         "data.test_shift: {names} move pixels and the {dataset} data are not images; only "
                         "\"noise\" applies to it", len(geometric)).format(names=", ".join(geometric),
                                                                             dataset=data.dataset)]
    return []


def _cross_field_problems(config: ExperimentConfig) -> list[str]:
    problems = []
    data = config.data
    if data.dataset == "csv":
        if not data.path:
            problems.append(_("data.path: required when data.dataset = \"csv\" (the CSV file to read)"))
        if not data.target:
            problems.append(_("data.target: required when data.dataset = \"csv\" (the label column's name)"))
    if config.train.optimizer == "nesterov" and config.train.momentum == 0:
        problems.append(_("train.momentum: 0.0 is not allowed with train.optimizer = \"nesterov\": Nesterov "
                          "momentum needs a momentum above 0 (e.g. 0.9), or use \"sgd\""))
    if config.train.lr_schedule == "plateau" and config.train.lr_decay == 1:
        problems.append(_("train.lr_decay: 1.0 is not allowed with train.lr_schedule = \"plateau\": the rate is "
                          "multiplied by it on a plateau, so it must be below 1 (e.g. 0.1)"))
    if config.model.normalization == "batch" and config.data.train_size == 1:
        problems.append(_("data.train_size: 1 is not allowed with model.normalization = \"batch\": batch "
                          "normalization needs at least 2 training examples (use \"layer\" or more examples)"))
    for key in ("data_dir", "path", "target"):
        if "\x00" in getattr(data, key):
            problems.append(_("{key}: {value} is not allowed: it contains a NUL character, which no file or "
                              "column name can hold").format(key=f"data.{key}", value=show_value(getattr(data, key))))
    problems += _test_shift_problems(data)
    problems += recurrent_problems(config)
    if config.model.normalization == "batch" and config.train.batch_size < 2:
        problems.append(_("train.batch_size: 1 is not allowed with model.normalization = \"batch\": batch "
                          "normalization needs at least 2 examples per batch (use \"layer\" or a larger batch)"))
    return problems


def experiment_from_dict(raw: Any, source: str = "", default_name: str = "") -> ExperimentConfig:
    """Validate a parsed TOML document; raise ConfigError listing every problem."""
    if not isinstance(raw, dict):
        raise ConfigError([_("the experiment must be a table of tables ([meta], [data], [model], [train])")], source)
    problems = []
    for table, value in raw.items():
        if table in FILE_TABLES and not isinstance(value, dict):
            problems.append(_("{table}: must be a table ([{table}]), got {value}").format(
                table=table, value=show_value(value)))
    if problems:
        raise ConfigError(problems, source)
    try:
        config = ExperimentConfig.model_validate(raw)
    except ValidationError as error:
        raise ConfigError([_problem(e) for e in error.errors()], source) from None
    cross = _cross_field_problems(config)
    if cross:
        raise ConfigError(cross, source)
    sweep = _sweep_problems(config) if config.sweep is not None else []
    if sweep:
        raise ConfigError(sweep, source)
    if not config.meta.name and default_name:
        config = config.model_copy(update={"meta": config.meta.model_copy(update={"name": default_name})})
    return config


def parse_experiment(text: str, source: str = "", default_name: str = "") -> ExperimentConfig:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([_("not valid TOML: {reason}").format(reason=error)], source) from None
    except RecursionError:  # tomllib reads nested arrays / inline tables recursively
        raise ConfigError([_("not valid TOML: arrays or inline tables nested too deeply to read")], source) from None
    return experiment_from_dict(raw, source, default_name)


def load_experiment(path: str | Path) -> ExperimentConfig:
    """Read and validate an experiment file; a missing or unreadable file is a ConfigError too."""
    path = Path(path)
    try:
        text = read_regular_text(path, MAX_EXPERIMENT_BYTES)
    except FileNotFoundError:
        raise ConfigError([_("no such file")], str(path)) from None
    except OSError as error:
        raise ConfigError([_("cannot read the file: {reason}").format(reason=error.strerror or error)],
                          str(path)) from None
    except UnicodeDecodeError as error:
        raise ConfigError([_("cannot read the file: it is not UTF-8 text ({reason} at byte {position})").format(
            reason=error.reason, position=error.start)], str(path)) from None
    return parse_experiment(text, str(path), default_name=path.stem)


def to_toml(config: ExperimentConfig) -> str:
    """The fully resolved experiment, every default written out; loading it gives the same config."""
    return tomli_w.dumps(config.model_dump())


def save_experiment(config: ExperimentConfig, path: str | Path) -> None:
    write_text_atomic(Path(path), to_toml(config))


def parse_override(assignment: str) -> tuple[str, Any]:
    """`train.lr=0.1` -> ("train.lr", 0.1): the value is a TOML literal, or a bare word as a string."""
    key, sep, literal = assignment.partition("=")
    key = key.strip()
    if not sep or "." not in key:
        raise ConfigError([_("--set {assignment!r}: expected TABLE.KEY=VALUE, e.g. train.lr=0.01").format(
            assignment=assignment)])
    try:
        value = tomllib.loads(f"v = {literal.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = literal.strip()
    return key, value


def apply_overrides(config: ExperimentConfig, overrides: dict[str, Any]) -> ExperimentConfig:
    """A new config with `table.key` overrides applied and the whole result validated again."""
    raw = config.model_dump()
    problems = []
    for key, value in overrides.items():
        problem = _override_key_problem(key)
        if problem:
            problems.append(problem)
            continue
        table, _dot, field = key.partition(".")
        raw[table][field] = value
    if problems:
        raise ConfigError(problems)
    return experiment_from_dict(raw)


def _override_key_problem(key: str) -> str | None:
    """Why `table.key` names no setting (with a did-you-mean), or None when it names one."""
    table, _dot, field = key.partition(".")
    if table not in TABLES:
        return _("{key}: unknown table '{table}'{hint}").format(key=key, table=table, hint=did_you_mean(table, TABLES))
    if field not in TABLES[table].model_fields:
        return _("{key}: unknown key{hint}; allowed: {allowed}").format(
            key=key, hint=did_you_mean(field, TABLES[table].model_fields),
            allowed=", ".join(TABLES[table].model_fields))
    return None


def _at(place: str, key: str, problems: list[str]) -> list[str]:
    """Problems of applying a value to `key`, moved to the place in [sweep] that holds the value: the
    key's own name becomes `place` ("train.lr: -1 ..." -> "sweep.grid.train.lr[2]: -1 ...")."""
    return [place + problem[len(key):] if problem.startswith((f"{key}:", f"{key}[")) else f"{place}: {problem}"
            for problem in problems]


def _applied_problems(config: ExperimentConfig, key: str, value: Any, place: str) -> list[str]:
    try:
        apply_overrides(config, {key: value})
    except ConfigError as error:
        return _at(place, key, error.problems)
    return []


def _sweep_key_problem(key: str, place: str) -> str | None:
    """Why a [sweep] key cannot be swept: it names no setting, or a [meta] one."""
    problem = _override_key_problem(key)
    if problem:
        return _at(place, key, [problem])[0]
    if key.partition(".")[0] not in SWEEPABLE_TABLES:
        return _("{place}: [meta] describes the experiment and is not a setting to sweep; sweep a key of "
                 "[data], [model] or [train]").format(place=place)
    return None


def _sweep_problems(config: ExperimentConfig) -> list[str]:
    """The [sweep] table checked against the experiment it varies: every grid value and both ends of every
    range are applied to it and validated like the file's own values."""
    sweep, problems = config.sweep, []
    for key, values in sweep.grid.items():
        key_problem = _sweep_key_problem(key, f"sweep.grid.{key}")
        if key_problem:
            problems.append(key_problem)
            continue
        for index, value in enumerate(values):
            if value in values[:index]:
                problems.append(_("{place}: {value} is listed twice; each value is one configuration").format(
                    place=f"sweep.grid.{key}[{index}]", value=show_value(value)))
            problems += _applied_problems(config, key, value, f"sweep.grid.{key}[{index}]")
    for key, bounds in sweep.random.items():
        place = f"sweep.random.{key}"
        key_problem = _sweep_key_problem(key, place)
        if key_problem:
            problems.append(key_problem)
            continue
        problems += _range_problems(config, key, bounds, place)
    if sweep.random and not sweep.samples:
        problems.append(_("sweep.random: ranges are drawn only when sweep.samples says how many draws to make "
                          "(e.g. samples = 8)"))
    if sweep.samples and not sweep.random:
        problems.append(_("sweep.samples: {samples} draws, but sweep.random has no range to draw from").format(
            samples=sweep.samples))
    if sweep.trial_count > MAX_TRIALS:
        problems.append(_("sweep: {count} trials is more than {limit}; sweep fewer values or seeds").format(
            count=sweep.trial_count, limit=MAX_TRIALS))
    return problems


def _range_problems(config: ExperimentConfig, key: str, bounds: RandomRange, place: str) -> list[str]:
    table, _dot, field = key.partition(".")
    kind = TABLES[table].model_fields[field].annotation
    if key in config.sweep.grid:
        return [_("{place}: also in sweep.grid; a key is swept by the grid or by a range, not both").format(
            place=place)]
    if kind not in (int, float):
        return [_("{place}: {key} is not a number; a range needs an integer or number setting (put choices "
                  "in sweep.grid)").format(place=place, key=key)]
    if kind is int and not (float(bounds.low).is_integer() and float(bounds.high).is_integer()):
        return [_("{place}: {key} takes whole numbers, so low and high must be whole numbers").format(
            place=place, key=key)]
    if bounds.low >= bounds.high:
        return [_("{place}: low ({low}) must be below high ({high})").format(
            place=place, low=show_value(bounds.low), high=show_value(bounds.high))]
    if bounds.log and bounds.low <= 0:
        return [_("{place}: a log range needs low above 0, not {low}").format(place=place, low=show_value(bounds.low))]
    return [problem for end in ("low", "high")
            for problem in _applied_problems(config, key, kind(getattr(bounds, end)), f"{place}.{end}")]
