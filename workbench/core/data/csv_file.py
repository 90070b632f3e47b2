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
from workbench.core.i18n import _, ngettext

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
            _("{path}, line {line}: cannot be read as CSV ({reason}); an unclosed quote often causes this, so "
              "check the quotes around that line.").format(path=path, line=line + 1, reason=error)
        ) from None
    except UnicodeDecodeError:
        raise DatasetError(_("{path} is not UTF-8 text; save it as a UTF-8 CSV file.").format(path=path)) from None
    except OSError as error:
        raise DatasetError(_("{path} cannot be read ({reason}); check its permissions.").format(
            path=path, reason=error.strerror)) from None
    return header, rows


def _check_shape(path: Path, header: list[str], rows: list[tuple[int, list[str]]], target: str) -> None:
    if not any(header):
        raise DatasetError(_("{path} has no header line; its first line must name the columns.").format(path=path))
    if target not in header:
        raise DatasetError(
            _("{path} has no column named {target!r}; its columns are {columns}, so set data.target to one of "
              "them.").format(path=path, target=target, columns=", ".join(map(repr, header)))
        )
    if len(header) < 2:
        raise DatasetError(_("{path} has only the target column; it needs at least one feature column too.").format(
            path=path))
    if not rows:
        raise DatasetError(_("{path} has a header but no data rows; add one row per example.").format(path=path))
    for line, row in rows:
        if len(row) != len(header):
            raise DatasetError(
                ngettext("{path}, line {line}: has {fields} field but the header names {columns} columns; every "
                         "row needs one value per column.",
                         "{path}, line {line}: has {fields} fields but the header names {columns} columns; every "
                         "row needs one value per column.", len(row)).format(
                    path=path, line=line, fields=len(row), columns=len(header))
            )


def _first_bad_cell(path: Path, header: list[str], feature_indices: list[int],
                    rows: list[tuple[int, list[str]]]) -> DatasetError:
    """The error for the first (in file order) empty, non-numeric or non-finite feature value, or one that
    is finite but beyond float32, the type the model trains in (1e300 would become inf there)."""
    for line, row in rows:
        for index in feature_indices:
            value, name = row[index].strip(), header[index]
            if not value:
                return DatasetError(_("{path}, line {line}: column {column!r} has no value; fill it in or remove "
                                      "that row.").format(path=path, line=line, column=name))
            try:
                number = float(value)
            except ValueError:
                return DatasetError(_("{path}, line {line}: column {column!r} holds {value!r}, which is not a "
                                      "number; feature columns must be numeric (drop or encode that column).").format(
                    path=path, line=line, column=name, value=value))
            if not math.isfinite(number):
                return DatasetError(_("{path}, line {line}: column {column!r} holds {value!r}, which is not a "
                                      "finite number; replace it or remove that row.").format(
                    path=path, line=line, column=name, value=value))
            with np.errstate(over="ignore"):
                in_float32 = np.float32(number)
            if not np.isfinite(in_float32):
                return DatasetError(_("{path}, line {line}: column {column!r} holds {value!r}, which is too large "
                                      "for the 32-bit floats that training uses (at most about 3.4e38); rescale "
                                      "that column.").format(path=path, line=line, column=name, value=value))
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
            _("No CSV file at {given} (looked at {absolute}); check data.path (a relative path is read from the "
              "current folder).").format(given=given, absolute=path.absolute())
        )
    if path.stat().st_size == 0:
        raise DatasetError(_("{path} is empty (0 bytes); it needs a header line and one row per example.").format(
            path=path))
    header, rows = _read_rows(path)
    _check_shape(path, header, rows, target)
    lines = [line for line, _row in rows]
    target_index = header.index(target)
    feature_indices = [i for i in range(len(header)) if i != target_index]

    labels = [row[target_index].strip() for _line, row in rows]
    for line, label in zip(lines, labels, strict=True):
        if not label:
            raise DatasetError(_("{path}, line {line}: the target column {target!r} has no value; fill it in or "
                                 "remove that row.").format(path=path, line=line, target=target))
    class_names = _class_order(labels)
    if len(class_names) < 2:
        raise DatasetError(_("{path}: the target column {target!r} holds only one value ({value!r}); "
                             "classification needs at least two classes.").format(
            path=path, target=target, value=class_names[0]))
    if len(class_names) > MAX_CLASSES:
        raise DatasetError(_("{path}: the target column {target!r} holds {count} distinct values (at most {limit} "
                             "classes); choose a column of class labels.").format(
            path=path, target=target, count=len(class_names), limit=MAX_CLASSES))
    class_ids = {name: index for index, name in enumerate(class_names)}
    y = np.array([class_ids[label] for label in labels], dtype=np.int64)

    try:
        x = np.array([[float(row[i]) for i in feature_indices] for _line, row in rows], dtype=np.float64)
    except ValueError:
        raise _first_bad_cell(path, header, feature_indices, rows) from None
    with np.errstate(over="ignore"):  # a value beyond float32 becomes inf here, and is reported just below
        features = x.astype(np.float32)
    if not np.isfinite(features).all():
        raise _first_bad_cell(path, header, feature_indices, rows)
    return features, y, class_names, [header[i] for i in feature_indices]


def load_csv_dataset(config) -> RawDataset:
    x, y, class_names, _feature_names = read_csv_dataset(config.path, config.target)
    return RawDataset(x, y, None, None, class_names, "vector")
