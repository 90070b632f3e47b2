"""The user's own CSV: numeric feature columns and one target column, read with the csv module.

Every way a file can be unusable ends in one DatasetError sentence naming the file, the line and the
column, so the user can open the file and fix exactly that spot.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from workbench.core.data.base import DatasetError, RawDataset

# A target with more distinct values than this is a measurement, not a class label.
MAX_CLASSES = 1000


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows, each with the line it ends on (quoted fields may span lines)."""
    line = 0
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [name.strip() for name in next(reader, [])]
            rows = []
            for row in reader:
                line = reader.line_num
                if row:
                    rows.append((line, row))
    except csv.Error as error:
        raise DatasetError(
            f"{path}, line {line + 1}: cannot be read as CSV ({error}); an unclosed quote often causes this, "
            f"so check the quotes around that line."
        ) from None
    except UnicodeDecodeError:
        raise DatasetError(f"{path} is not UTF-8 text; save it as a UTF-8 CSV file.") from None
    except OSError as error:
        raise DatasetError(f"{path} cannot be read ({error.strerror}); check its permissions.") from None
    return header, rows


def _check_shape(path: Path, header: list[str], rows: list[tuple[int, list[str]]], target: str) -> None:
    if not any(header):
        raise DatasetError(f"{path} has no header line; its first line must name the columns.")
    if target not in header:
        raise DatasetError(
            f"{path} has no column named {target!r}; its columns are {', '.join(map(repr, header))}, "
            f"so set data.target to one of them."
        )
    if len(header) < 2:
        raise DatasetError(f"{path} has only the target column; it needs at least one feature column too.")
    if not rows:
        raise DatasetError(f"{path} has a header but no data rows; add one row per example.")
    for line, row in rows:
        if len(row) != len(header):
            raise DatasetError(
                f"{path}, line {line}: has {len(row)} field(s) but the header names {len(header)} columns; "
                f"every row needs one value per column."
            )


def _first_bad_cell(path: Path, header: list[str], feature_indices: list[int],
                    rows: list[tuple[int, list[str]]]) -> DatasetError:
    """The error for the first (in file order) empty, non-numeric or non-finite feature value, or one that
    is finite but beyond float32, the type the model trains in (1e300 would become inf there)."""
    for line, row in rows:
        for index in feature_indices:
            value, name = row[index].strip(), header[index]
            if not value:
                return DatasetError(f"{path}, line {line}: column {name!r} has no value; fill it in or "
                                    f"remove that row.")
            try:
                number = float(value)
            except ValueError:
                return DatasetError(f"{path}, line {line}: column {name!r} holds {value!r}, which is not a "
                                    f"number; feature columns must be numeric (drop or encode that column).")
            if not math.isfinite(number):
                return DatasetError(f"{path}, line {line}: column {name!r} holds {value!r}, which is not a "
                                    f"finite number; replace it or remove that row.")
            with np.errstate(over="ignore"):
                in_float32 = np.float32(number)
            if not np.isfinite(in_float32):
                return DatasetError(f"{path}, line {line}: column {name!r} holds {value!r}, which is too large "
                                    f"for the 32-bit floats that training uses (at most about 3.4e38); rescale "
                                    f"that column.")
    raise AssertionError("no bad feature value to report")


def _class_order(values: list[str]) -> list[str]:
    """Sorted distinct labels: numerically when they are all numbers (so "10" follows "9"), else as text."""
    distinct = set(values)
    try:
        return sorted(distinct, key=float)
    except ValueError:
        return sorted(distinct)


def read_csv_dataset(path: str | Path, target: str) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """Features (N, F) float32, class ids (N,) int64, class names and feature names from a CSV file."""
    given, path = str(path), Path(path).expanduser()
    if not path.is_file():
        raise DatasetError(
            f"No CSV file at {given} (looked at {path.absolute()}); check data.path "
            "(a relative path is read from the current folder)."
        )
    if path.stat().st_size == 0:
        raise DatasetError(f"{path} is empty (0 bytes); it needs a header line and one row per example.")
    header, rows = _read_rows(path)
    _check_shape(path, header, rows, target)
    lines = [line for line, _ in rows]
    target_index = header.index(target)
    feature_indices = [i for i in range(len(header)) if i != target_index]

    labels = [row[target_index].strip() for _, row in rows]
    for line, label in zip(lines, labels, strict=True):
        if not label:
            raise DatasetError(f"{path}, line {line}: the target column {target!r} has no value; fill it in "
                               f"or remove that row.")
    class_names = _class_order(labels)
    if len(class_names) < 2:
        raise DatasetError(f"{path}: the target column {target!r} holds only one value ({class_names[0]!r}); "
                           f"classification needs at least two classes.")
    if len(class_names) > MAX_CLASSES:
        raise DatasetError(f"{path}: the target column {target!r} holds {len(class_names)} distinct values "
                           f"(at most {MAX_CLASSES} classes); choose a column of class labels.")
    class_ids = {name: index for index, name in enumerate(class_names)}
    y = np.array([class_ids[label] for label in labels], dtype=np.int64)

    try:
        x = np.array([[float(row[i]) for i in feature_indices] for _, row in rows], dtype=np.float64)
    except ValueError:
        raise _first_bad_cell(path, header, feature_indices, rows) from None
    with np.errstate(over="ignore"):  # a value beyond float32 becomes inf here, and is reported just below
        features = x.astype(np.float32)
    if not np.isfinite(features).all():
        raise _first_bad_cell(path, header, feature_indices, rows)
    return features, y, class_names, [header[i] for i in feature_indices]


def load_csv_dataset(config) -> RawDataset:
    x, y, class_names, _ = read_csv_dataset(config.path, config.target)
    return RawDataset(x, y, None, None, class_names, "vector")
