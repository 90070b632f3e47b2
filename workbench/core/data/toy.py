"""The 2-D toy sets: generated from (n_samples, noise, seed), offline, in milliseconds.

Each generator is a self-contained top-level function using only numpy / scikit-learn, because the run
export copies its source into a standalone script.
"""

from __future__ import annotations

import numpy as np

from workbench.core.data.base import RawDataset

# The test set is generated like the training pool, from a different seed, with a quarter of the points.
TEST_SEED_OFFSET = 1_000_003
TEST_SHARE_DIVISOR = 4


def make_spiral(n_samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals of 1.75 turns each, radius 0..1, with Gaussian jitter of std `noise`."""
    turns = 1.75
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples) % 2
    progress = rng.uniform(0.0, 1.0, n_samples)  # 0 = centre, 1 = outer end of the arm
    angle = progress * turns * 2 * np.pi + y * np.pi
    x = np.stack([progress * np.cos(angle), progress * np.sin(angle)], axis=1)
    x += rng.normal(0.0, noise, x.shape)
    return x.astype(np.float32), y.astype(np.int64)


def make_moons_points(n_samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half-moons (scikit-learn's make_moons)."""
    from sklearn.datasets import make_moons

    x, y = make_moons(n_samples=n_samples, noise=noise, random_state=seed)
    return x.astype(np.float32), y.astype(np.int64)


def make_circles_points(n_samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A circle of radius 0.5 (class 1) inside a ring of radius 1 (class 0) (scikit-learn's make_circles)."""
    from sklearn.datasets import make_circles

    x, y = make_circles(n_samples=n_samples, noise=noise, factor=0.5, random_state=seed)
    return x.astype(np.float32), y.astype(np.int64)


def make_xor(n_samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Points uniform in [-1, 1]^2, class 1 where x*y > 0; the jitter is added after labelling, so
    `noise` blurs the quadrant borders."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, (n_samples, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    x += rng.normal(0.0, noise, x.shape)
    return x.astype(np.float32), y


def make_gaussians(n_samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Three Gaussian blobs of std `noise`, centred on the unit circle 120 degrees apart (make_blobs)."""
    from sklearn.datasets import make_blobs

    n_blobs = 3
    angles = np.arange(n_blobs) * 2 * np.pi / n_blobs
    centers = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    x, y = make_blobs(n_samples=n_samples, centers=centers, cluster_std=noise, random_state=seed)
    return x.astype(np.float32), y.astype(np.int64)


TOY_GENERATORS = {
    "spiral": make_spiral,
    "moons": make_moons_points,
    "circles": make_circles_points,
    "xor": make_xor,
    "gaussians": make_gaussians,
}


def load_toy(config) -> RawDataset:
    generate = TOY_GENERATORS[config.dataset]
    x, y = generate(config.n_samples, config.noise, config.seed)
    test_seed = (config.seed + TEST_SEED_OFFSET) % 2**32
    x_test, y_test = generate(max(1, config.n_samples // TEST_SHARE_DIVISOR), config.noise, test_seed)
    n_classes = int(y.max()) + 1
    return RawDataset(x, y, x_test, y_test, [str(label) for label in range(n_classes)], "points")
