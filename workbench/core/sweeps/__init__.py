"""Sweeps: one experiment run over many settings and seeds (CONTRACTS.md section 5, `[sweep]`).

plan.py expands the file's `[sweep]` into trials, results.py records them in the sweep directory
(`sweep.json`, `sweep.csv` and one run directory per trial), runner.py decides what still has to run and
drives a backend (local.py: a process pool on this machine; ray_tune.py: Ray Tune, imported only when
chosen), and summary.py turns the trials into the table and the "what matters" lines. Every trial is a
normal run (training/variants.py), so whatever reads a run reads a trial.
"""
