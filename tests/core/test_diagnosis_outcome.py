"""A finding's severity follows the harm the run's outcome shows: a fault that left validation fine is a
note, and a cause whose harm the outcome does show is named even when its usual evidence is missing."""

from history_factory import SyntheticRun, experiment

from workbench.core.diagnosis import RULES, diagnose


def _severity(findings, finding_id):
    return next(finding.severity for finding in findings if finding.id == finding_id)


def test_noisy_labels_are_a_note_while_validation_is_far_from_guessing():
    run = SyntheticRun(train_label_disagreement=0.22)
    run.train_acc = run.train_acc - 0.2  # the wrong labels hold training accuracy down, not validation's
    config = experiment(data__label_noise=0.3)
    assert _severity(diagnose(run.history(), config), "label_noise") == "info"
    run.val_acc = run.val_acc - 0.2  # validation suffers too (skill 0.5): a warning
    assert _severity(diagnose(run.history(), config), "label_noise") == "warning"


def _high_rate_that_fit():
    run = SyntheticRun()
    run.update_ratio[:] = 0.3
    run.train_loss[2::3] += 0.2  # the loss jumps up every third epoch, yet the run ends at ~0.97
    return run, experiment(train__lr=0.1)


def test_a_high_rate_that_fit_and_kept_its_best_validation_is_a_note():
    run, config = _high_rate_that_fit()
    assert _severity(diagnose(run.history(), config), "lr_too_high") == "info"


def test_a_high_rate_whose_validation_fell_from_its_peak_stays_a_warning():
    run, config = _high_rate_that_fit()
    run.val_acc[-1] = run.val_acc[-2] - 0.06  # still fitting (skill 0.85+), 6 points below its best
    history = run.history()
    history.val_count = 360
    assert _severity(diagnose(history, config), "lr_too_high") == "warning"
    history.val_count = 0  # the noise unknown (older runs): any fall from the best counts
    assert _severity(diagnose(history, config), "lr_too_high") == "warning"


def test_a_high_rate_whose_validation_fell_beyond_the_noise_of_both_accuracies_stays_a_warning():
    """Best 0.99, last 0.96 on 240 examples: 3 points against 2.8 of noise of a difference of two accuracies
    (each one's in quadrature); the last one's noise alone, times sqrt(2), would have called it 3.6 and the
    fall none. 0.97 is within it: a note."""
    run, config = _high_rate_that_fit()
    run.val_acc[-4:] = [0.98, 0.99, 0.98, 0.96]
    history = run.history()
    history.val_count = 240
    assert _severity(diagnose(history, config), "lr_too_high") == "warning"
    run.val_acc[-1] = 0.97
    history = run.history()
    history.val_count = 240
    assert _severity(diagnose(history, config), "lr_too_high") == "info"


def test_gradients_that_exploded_in_a_run_that_fit_are_a_note_and_an_error_where_it_did_not():
    """Gradient norms 1,000x their level from the 50th probe on: an error where the run ended short of a fit,
    a note where it fit its data anyway, as a bad init is: a finding never contradicts how the run ended."""
    run = SyntheticRun()
    run.grad_norm[50:] *= 1e3
    assert _severity(diagnose(run.history(), experiment()), "exploding_gradients") == "info"
    run.train_acc[:] = run.val_acc[:] = 0.7
    assert _severity(diagnose(run.history(), experiment()), "exploding_gradients") == "error"


def _deep_net_grown_at_step_zero(fit: bool) -> SyntheticRun:
    """6 ReLU layers drawn at 3/sqrt(width) and trained by an adaptive optimizer: the activations' spread
    doubles layer after layer at step 0, yet no gradient probe overflows."""
    run = SyntheticRun(hidden_layers=6)
    run.act_std[0, :-1] = [0.41, 0.97, 2.07, 4.31, 9.89, 19.84]
    if not fit:
        run.train_acc[:] = run.val_acc[:] = 0.6
    return run


def test_a_finished_run_that_never_fit_shows_its_explosion_in_the_step_zero_forward_pass():
    config = experiment(model__init="normal", model__init_std=0.375, model__hidden=[64] * 6,
                        train__optimizer="adagrad")
    finding = RULES["exploding_gradients"](_deep_net_grown_at_step_zero(fit=False).history(), config)
    assert "grew 2.17x per layer through 6 hidden layers" in finding.evidence
    assert finding.evidence.endswith("and the run ended at training accuracy 0.6, validation accuracy 0.6")
    assert finding.fix == {"train.grad_clip": 1.0, "model.init": "default"}
    # the same growth in a run that fit did no visible harm; while the run trains, its outcome is unknown
    assert RULES["exploding_gradients"](_deep_net_grown_at_step_zero(fit=True).history(), config) is None
    assert RULES["exploding_gradients"](_deep_net_grown_at_step_zero(fit=False).history(epochs=5), config) is None


def test_an_accuracy_exactly_on_the_fit_line_meets_it_though_float32_reads_it_back_short():
    run = SyntheticRun()
    run.train_acc[-3:] = 0.97
    run.val_acc[-3:] = 228 / 240  # 0.95 on two classes: skill 0.9 exactly, 0.8999999762 from float32
    run.dead_share[-3:, 1] = 0.61  # units that died in a run that fits lost only spare capacity
    assert all(finding.id != "dead_relu" for finding in diagnose(run.history(), experiment()))
    run.val_acc[-3:] = 227 / 240
    assert any(finding.id == "dead_relu" for finding in diagnose(run.history(), experiment()))


def test_validation_loss_that_rises_while_training_loss_stands_still_is_no_overfitting():
    """A bouncing run (a clipped RNN at a high rate): validation loss 28% above its minimum, training loss
    no lower than it was then, accuracies 0.96 and 0.90."""
    run = SyntheticRun()
    run.train_loss[:] = 0.25
    run.val_loss[:] = 0.30
    run.val_loss[-4:] = 0.45
    run.train_acc[:], run.val_acc[:] = 0.96, 0.90
    assert all(finding.id != "overfitting" for finding in diagnose(run.history(), experiment()))
    # the same rise while training loss keeps falling and training accuracy pulls away: the model memorizes
    run.train_loss[-8:], run.train_acc[-8:] = 0.10, 0.99
    assert any(finding.id == "overfitting" for finding in diagnose(run.history(), experiment()))


def test_the_step_zero_growth_is_judged_on_average_and_not_in_residual_stacks():
    config = experiment(model__init="normal", model__init_std=0.375, model__hidden=[64] * 8, train__optimizer="sgd")
    run = SyntheticRun(hidden_layers=8, status="diverged")
    run.act_std[0, :-1] = [0.33, 0.82, 1.8, 3.92, 8.81, 16.63, 44.96, 63.86]  # 2.1x, then 1.4x into the last
    assert "grew 2.12x per layer through 8 hidden layers" in RULES["exploding_gradients"](run.history(), config).evidence
    run.act_std[0, 3] = 1.7  # one layer shrinks it: no steady growth
    assert RULES["exploding_gradients"](run.history(), config) is None
    grown = _deep_net_grown_at_step_zero(fit=False)  # a residual stack grows the spread by adding its input
    residual = experiment(model__hidden=[64] * 6, model__residual=True, train__optimizer="adagrad")
    assert RULES["exploding_gradients"](grown.history(), residual) is None


def test_a_run_that_fit_with_a_validation_loss_above_uniform_guessing_is_said_to_be_certain_where_wrong():
    """Weights drawn with std 10: the loss at step 0 is 62,120 nats, and the run still reaches 0.97 on two classes, but
    its validation loss ends at 482, 695x the ln 2 of uniform guesses: the 3% it gets wrong, it gets wrong
    with near-certainty. The note on the init says so; a validation loss that came down below uniform
    guessing's, or an MSE loss (bounded on probabilities), gets no such clause."""
    config = experiment(model__init="normal", model__init_std=10.0)

    def init_evidence(val_loss: float, run_config=config) -> str:
        run = SyntheticRun(initial_loss=62120.0)
        run.val_loss[-1] = val_loss
        return next(f.evidence for f in diagnose(run.history(), run_config) if f.id == "bad_initialization")

    assert init_evidence(482.0).endswith(
        "the validation loss ended at 482, 695x the 0.693 of uniform guesses, at validation accuracy 0.969: where the "
        "model errs it is certain of the wrong answer")
    assert "certain" not in init_evidence(0.3)
    mse = experiment(model__init="normal", model__init_std=10.0, train__loss="mse")
    assert "certain" not in next(f.evidence for f in diagnose(SyntheticRun(initial_loss=62120.0).history(), mse)
                                 if f.id == "bad_initialization")
