"""Experiment files: every problem reported at once, naming the key, the value and what is allowed."""

import pytest

from workbench.core.experiment.config import (
    ConfigError,
    apply_overrides,
    load_experiment,
    parse_experiment,
    parse_override,
    save_experiment,
    to_toml,
)
from workbench.core.experiment.values import config_diff, format_value


def problems_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_experiment(text, "bad.toml")
    return caught.value.problems


def test_minimal_file_gets_every_default():
    config = parse_experiment('[data]\ndataset = "moons"\n', default_name="my-file")
    assert config.name == "my-file"
    assert config.model.hidden == [64, 64]
    assert config.train.lr == 0.001 and config.train.batch_size == 64 and config.train.epochs == 20
    assert config.data.val_fraction == 0.2 and config.data.shuffle is True and config.data.order == "random"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[data]\ndataset = "spirl"', ["data.dataset", "'spirl'", "did you mean 'spiral'"]),
        ('[data]\ndataset = "moons"\n[train]\nlr = -1', ["train.lr", "-1", "greater than 0"]),
        ('[data]\ndataset = "moons"\n[train]\nlr = nan', ["train.lr", "finite"]),
        ('[data]\ndataset = "moons"\n[train]\nlr = inf', ["train.lr", "finite"]),
        ('[data]\ndataset = "moons"\n[train]\nbatch_sise = 3', ["train.batch_sise", "did you mean 'batch_size'"]),
        ('[data]\ndataset = "moons"\n[train]\nbatch_size = "big"', ["train.batch_size", "'big'", "integer"]),
        ('[data]\ndataset = "moons"\n[train]\nbatch_size = 0', ["train.batch_size", "greater than or equal to 1"]),
        ('[data]\ndataset = "moons"\n[model]\nactivation = "Relu"', ["model.activation", "did you mean 'relu'"]),
        ('[data]\ndataset = "moons"\n[model]\nhidden = [64, 0]', ["model.hidden[1]", "0"]),
        ('[data]\ndataset = "moons"\n[model]\ndropout = 1.5', ["model.dropout", "1.5", "less than 1"]),
        ('[data]\ndataset = "moons"\n[data2]\nx = 1', ["data2", "unknown table"]),
        ('[data]\ndataset = "moons"\nval_fraction = 0.99', ["data.val_fraction", "0.99"]),
        ('[data]\ndataset = "moons"\naugment = ["blur"]', ["data.augment[0]", "'blur'", "noise"]),
        ('[data]\ndataset = "csv"', ["data.path", "csv"]),
        ('[meta]\nexpect = ["overfit"]\n[data]\ndataset = "moons"', ["meta.expect[0]", "did you mean 'overfitting'"]),
        ("[model]\nkind = 'mlp'", ["data", "required"]),
        ("data = 3", ["data", "must be a table"]),
        ("[data\ndataset = 'x'", ["not valid TOML", "line 1"]),
    ],
)
def test_each_bad_file_names_the_key_value_and_what_is_allowed(text, expected):
    message = " | ".join(problems_of(text))
    for fragment in expected:
        assert fragment in message, message


def test_every_problem_is_reported_at_once():
    problems = problems_of('[data]\ndataset = "moons"\nnoise = -1\n[train]\nlr = 0\nepochs = 0\noptimiser = "adam"\n')
    keys = sorted(problem.split(":")[0] for problem in problems)
    assert keys == ["data.noise", "train.epochs", "train.lr", "train.optimiser"]


def test_saved_config_loads_back_identical(tmp_path):
    config = parse_experiment('[meta]\nname = "x"\n[data]\ndataset = "digits"\n[model]\nhidden = [8]\n'
                              '[train]\nlr = 0.05\n')
    path = tmp_path / "saved.toml"
    save_experiment(config, path)
    assert load_experiment(path) == config
    assert "init_std = 0.01" in to_toml(config)  # every default written out


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_experiment(tmp_path / "absent.toml")


def test_overrides_parse_toml_literals_and_bare_words():
    assert parse_override("train.lr=0.1") == ("train.lr", 0.1)
    assert parse_override("data.shuffle=false") == ("data.shuffle", False)
    assert parse_override("model.hidden=[8, 8]") == ("model.hidden", [8, 8])
    assert parse_override("model.activation=tanh") == ("model.activation", "tanh")
    with pytest.raises(ConfigError, match="TABLE.KEY=VALUE"):
        parse_override("lr=0.1")


def test_overrides_are_validated_like_the_file():
    config = parse_experiment('[data]\ndataset = "moons"')
    changed = apply_overrides(config, {"train.lr": 0.1, "model.activation": "tanh"})
    assert changed.train.lr == 0.1 and changed.model.activation == "tanh"
    assert config.train.lr == 0.001  # the original is untouched
    with pytest.raises(ConfigError) as caught:
        apply_overrides(config, {"train.lr": -2, "train.learning_rate": 1, "trian.lr": 1})
    message = " | ".join(caught.value.problems)
    assert "did you mean 'train'" in message and "train.learning_rate" in message


def test_config_diff_lists_only_the_keys_that_differ():
    base = parse_experiment('[data]\ndataset = "moons"')
    other = apply_overrides(base, {"train.lr": 0.1, "meta.name": "other"})
    assert config_diff([base, other]) == ["train.lr"]


def test_format_value_round_trips_through_parse_override():
    for value in (0.001, True, "relu", [8, 16], 5, ["noise", "flip"]):
        assert parse_override(f"train.x={format_value(value)}")[1] == value


def test_format_value_keeps_lists_on_one_line():
    assert format_value([64, 64]) == "[64, 64]"


def test_a_nul_character_in_a_path_is_refused_naming_the_key():
    message = " | ".join(problems_of('[data]\ndataset = "csv"\npath = "a\\u0000b"\ntarget = "y"'))
    assert "data.path" in message and "NUL" in message


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('[train]\nlr = "0.1"', "train.lr: '0.1' is a string; a number is needed"),
        ("[train]\nlr = true", "train.lr: true is a boolean; a number is needed"),
        ('[train]\nepochs = "20"', "train.epochs: '20' is a string; an integer is needed"),
        ("[train]\nepochs = 20.0", "train.epochs: 20.0 is a float; an integer is needed"),
        ("[train]\nbatch_size = false", "train.batch_size: false is a boolean; an integer is needed"),
        ("shuffle = 1", "data.shuffle: 1 is an integer; true or false is needed"),
        ('normalize = "yes"', "data.normalize: 'yes' is a string; true or false is needed"),
        ("[model]\nhidden = [64.0]", "model.hidden[0]: 64.0 is a float; an integer is needed"),
        ('[model]\nhidden = "64"', "model.hidden: '64' is a string; an array is needed"),
        ("[meta]\nname = 3", "meta.name: 3 is an integer; a string is needed"),
        ("[train]\nlr = 1979-05-27", "train.lr: 1979-05-27 is a date; a number is needed"),
        ("[train]\nlr = 1" + "0" * 400, "train.lr: 1000"),
    ],
    ids=["string-for-float", "bool-for-float", "string-for-int", "float-for-int", "bool-for-int",
         "int-for-bool", "string-for-bool", "float-in-int-list", "string-for-list", "int-for-string",
         "date-for-float", "int-beyond-float"],
)
def test_a_value_of_the_wrong_type_is_refused_not_converted(line, problem):
    problems = problems_of('[data]\ndataset = "moons"\n' + line)  # a line without a table header is in [data]
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_an_integer_where_a_float_belongs_is_a_number():
    config = parse_experiment('[data]\ndataset = "moons"\nnoise = 0\n[train]\nlr = 1\n')
    assert config.train.lr == 1.0 and isinstance(config.train.lr, float)
    assert config.data.noise == 0.0 and isinstance(config.data.noise, float)


@pytest.mark.parametrize(
    ("assignment", "problem"),
    [
        ("train.lr=fast", "train.lr: 'fast' is a string; a number is needed"),
        ("data.shuffle=0", "data.shuffle: 0 is an integer; true or false is needed"),
        ("train.epochs=3.5", "train.epochs: 3.5 is a float; an integer is needed"),
    ],
)
def test_set_values_follow_the_same_types_as_the_file(assignment, problem):
    config = parse_experiment('[data]\ndataset = "moons"')
    with pytest.raises(ConfigError) as caught:
        apply_overrides(config, dict([parse_override(assignment)]))
    assert caught.value.problems == [problem]
    assert apply_overrides(config, dict([parse_override("train.lr=1")])).train.lr == 1.0


def test_a_config_error_raised_in_another_process_keeps_its_message():
    """Sweeps and the benchmark train in worker processes, which send a raised error back pickled: it must
    read as it was raised (it came back as its message's characters joined by "; ")."""
    import pickle

    error = ConfigError(["train.lr: must be positive", "train.epochs: must be at least 1"], "run.toml")
    back = pickle.loads(pickle.dumps(error))
    assert (str(back), back.problems, back.source) == (str(error), error.problems, "run.toml")
