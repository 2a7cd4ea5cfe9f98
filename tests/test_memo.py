"""TitleMemo (etl/normalise/memo.py): once per distinct title, forgotten when the rules change."""

from __future__ import annotations

import pandas as pd

from etl.normalise.memo import TitleMemo


def test_each_distinct_title_is_worked_out_once_across_calls() -> None:
    calls: list[object] = []

    def upper(title: object, rules: object) -> str:
        calls.append(title)
        return str(title).upper()

    memo, rules = TitleMemo(), object()
    first = memo.map(pd.Series(["a", "b", "a", None]), rules, upper, "?", "x")
    assert first.tolist() == ["A", "B", "A", "?"] and first.name == "x"
    assert memo.map(pd.Series(["b", "c"]), rules, upper, "?", "x").tolist() == ["B", "C"]
    assert calls == ["a", "b", "c"]


def test_new_rules_start_the_memory_afresh() -> None:
    memo = TitleMemo()
    old, new = object(), object()
    memo.map(pd.Series(["a"]), old, lambda t, r: "old", "?", "x")
    assert memo.map(pd.Series(["a"]), new, lambda t, r: "new", "?", "x").tolist() == ["new"]


def test_a_full_memory_still_maps_new_titles() -> None:
    memo, rules = TitleMemo(size=1), object()
    memo.map(pd.Series(["a"]), rules, lambda t, r: "1", "?", "x")
    out = memo.map(pd.Series(["b", "a"]), rules, lambda t, r: "2", "?", "x")
    assert out.tolist() == ["2", "1"]
