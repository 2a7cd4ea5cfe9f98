"""Answers worked out once per distinct value, spread back to the rows.

Chunks hold 20k–100k rows but few distinct values per column (seniority codes, currencies,
years, countries), so the normalisers factorize a column, answer each distinct value once and
index the answers with the codes. Spreading the answers must not cost a Python object per row
either: building a text column from 100k row objects (``pd.Series(objects, dtype="string")``, or
``infer_objects`` on them) costs more than the answers did. Here the small table of answers is
typed first and the rows are taken from it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def spread(
    table: np.ndarray,
    codes: np.ndarray,
    index: pd.Index,
    name: object = None,
    dtype: str | None = None,
) -> pd.Series:
    """``pd.Series(table[codes], dtype=object)`` typed as ``dtype`` ("string"), or inferred as
    ``infer_objects`` would when ``dtype`` is None: the same values and dtype.

    ``table`` holds one answer per distinct value and, last, the answer of missing rows (code
    -1); as with ``pd.factorize``'s codes, every distinct value has a row. Only text is taken
    from a typed table; answers that infer to another dtype (numbers, booleans, mixed) and an
    empty column take the general path.
    """
    if not len(codes):
        return pd.Series(table[:0], index=index, dtype="object", name=name).infer_objects()
    missing = bool((codes < 0).any())
    if not missing:  # the missing rows' answer is not taken: it must not type the column
        table = table[:-1]
    rows = np.where(codes < 0, len(table) - 1, codes) if missing else codes
    if dtype is None:
        inferred = pd.Series(table, dtype="object").infer_objects().dtype
        if not len(table) or not isinstance(inferred, pd.StringDtype):
            return pd.Series(table[rows], index=index, dtype="object", name=name).infer_objects()
        dtype = inferred
    return pd.Series(pd.array(table, dtype=dtype).take(rows), index=index, name=name)


def per_text(
    values: np.ndarray,
    answer: Callable[[object], object],
    missing: object,
    index: pd.Index,
    name: object = None,
    dtype: str | None = None,
) -> pd.Series | None:
    """``answer`` of each value as a column (``missing`` where a value is missing), worked out
    once per distinct text; other values (booleans, numbers) row by row, because hashing merges
    True with 1 and 1 with 1.0. Typed as ``spread`` types it. None when the values cannot be
    hashed (lists): the caller answers them its own way."""
    try:
        codes, uniques = pd.factorize(values)
    except TypeError:
        return None
    table = np.empty(len(uniques) + 1, dtype="object")
    table[:-1] = [answer(u) for u in uniques]
    table[-1] = missing
    odd = [i for i, u in enumerate(uniques) if not isinstance(u, str)]
    if not odd:
        return spread(table, codes, index, name, dtype)
    out = table[codes]
    rows = np.flatnonzero(np.isin(codes, odd))
    out[rows] = [answer(values[r]) for r in rows]
    column = pd.Series(out, index=index, dtype="object", name=name)
    return column.infer_objects() if dtype is None else column.astype(dtype)
