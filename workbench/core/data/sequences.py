"""Generated sequence tasks for recurrent models: offline, in milliseconds.

`sequence_memory`: each sequence's class is set by its first element (+1 or -1) and the other
seq_len - 1 elements are Gaussian noise of std `data.noise`, so a model must carry the first step's value
through the whole sequence while the noise keeps writing into its state. A plain RNN's gradient through time shrinks at every step back, so with long sequences
the first step gets almost none (Bengio, Simard and Frasconi 1994): the task that shows vanishing
gradients through time, and the gated cells (LSTM, GRU) that cure it.

Self-contained top-level functions using only numpy, because the run export copies their source.
"""

from __future__ import annotations

import numpy as np

from workbench.core.data.base import RawDataset

# The test set is generated like the training pool, from another seed, with a quarter of the sequences.
SEQUENCE_TEST_SEED_OFFSET = 1_000_003
SEQUENCE_TEST_SHARE_DIVISOR = 4
MEMORY_CLASSES = 2


def make_sequence_memory(n_samples: int, seq_len: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(n_samples, seq_len, 1) float32 sequences of one feature and their classes: the first element is
    -1 (class 0) or +1 (class 1), the rest N(0, noise^2)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples) % MEMORY_CLASSES
    x = rng.normal(0.0, noise, (n_samples, seq_len, 1))
    x[:, 0, 0] = 2.0 * y - 1.0
    return x.astype(np.float32), y.astype(np.int64)


def load_sequence_memory(config) -> RawDataset:
    x, y = make_sequence_memory(config.n_samples, config.seq_len, config.noise, config.seed)
    test_seed = (config.seed + SEQUENCE_TEST_SEED_OFFSET) % 2**32
    x_test, y_test = make_sequence_memory(max(1, config.n_samples // SEQUENCE_TEST_SHARE_DIVISOR),
                                          config.seq_len, config.noise, test_seed)
    return RawDataset(x, y, x_test, y_test, [str(label) for label in range(MEMORY_CLASSES)], "sequence")
