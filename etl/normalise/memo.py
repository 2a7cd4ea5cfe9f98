"""Per-process memory of a title normaliser's answers (roles and seniority share it).

Sources repeat titles a lot, within a chunk and across the chunks a worker process transforms,
so each distinct title is worked out once per set of rules. The memory is tied to the rules
object it was filled with: new rules (a reloaded file, a test's own rules) start it afresh.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from etl.normalise.distinct import spread

MEMO_SIZE = 200_000
"""Titles remembered at most (new ones beyond it are still mapped, just not kept)."""


class TitleMemo:
    """``func(title, rules)`` over a Series, once per distinct title, remembered across calls."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self.size = size
        self._rules: object = None
        self._answers: dict[str, str] = {}

    def map(
        self,
        titles: pd.Series,
        rules: object,
        func: Callable[[object, object], str],
        missing: str,
        name: str,
    ) -> pd.Series:
        """The answer for each title (``missing`` for missing values) as a string Series."""
        if self._rules is not rules:
            self._rules, self._answers = rules, {}
        memo = self._answers
        codes, uniques = pd.factorize(titles.astype("object").to_numpy())
        found = []
        for t in uniques:
            answer = memo.get(t) if isinstance(t, str) else None
            if answer is None:
                answer = func(t, rules)
                if isinstance(t, str) and len(memo) < self.size:
                    memo[t] = answer
            found.append(answer)
        table = np.array([*found, missing], dtype="object")
        return spread(table, codes, titles.index, name, "string")
