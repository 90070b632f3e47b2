"""The checks across keys for recurrent models (`model.kind = "rnn"`) and the data they read: each
problem one sentence naming its key, given before anything trains (config.py collects them)."""

from __future__ import annotations

from workbench.core.experiment import registry
from workbench.core.experiment.schema import ExperimentConfig
from workbench.core.i18n import _

# The datasets a recurrent network reads as sequences (models_rnn.sequence_shape), named in the messages.
SEQUENCE_VIEWS = ("mnist1d", "digits", "mnist", "fashion_mnist", "sequence_memory")


def recurrent_problems(config: ExperimentConfig) -> list[str]:
    model, dataset = config.model, config.data.dataset
    problems = []
    if model.kind != "rnn":
        if dataset in registry.SEQUENCE_DATASETS:
            problems.append(_("data.dataset: \"{dataset}\" is for recurrent networks (its class is in the first "
                              "step of a long sequence); use model.kind = \"rnn\"").format(dataset=dataset))
        if model.bidirectional:
            problems.append(_("model.bidirectional: true needs model.kind = \"rnn\": only a recurrent network "
                              "reads its input in a direction, a {kind} does not; set it to false").format(
                kind=model.kind.upper()))
        return problems
    if dataset in registry.TOY_DATASETS:
        problems.append(_("model.kind: \"rnn\" reads sequences, and the {dataset} data are 2-D points, not "
                          "sequences; use kind = \"mlp\", or a dataset with a sequence view ({views})").format(
            dataset=dataset, views=", ".join(SEQUENCE_VIEWS)))
    if not model.hidden:
        problems.append(_("model.hidden: a recurrent network needs at least one recurrent layer, e.g. [64]"))
    if model.cell == "rnn" and model.activation not in registry.RNN_ACTIVATIONS:
        problems.append(_("model.activation: \"{activation}\" is not allowed with model.cell = \"rnn\": a plain "
                          "RNN computes \"tanh\" or \"relu\" (or use cell \"gru\" or \"lstm\")").format(
            activation=model.activation))
    if model.normalization == "batch":
        problems.append(_("model.normalization: \"batch\" is not allowed with model.kind = \"rnn\": batch "
                          "statistics would mix the steps of a sequence; use \"layer\" or \"none\""))
    return problems
