"""dashboard/queries/filters.py: the selection and its label in chart titles."""

from __future__ import annotations

from dashboard.queries.filters import Filters

SEL = Filters(regions=("Oceania",), seniority=("executive",)).describe()


def test_selection_label_names_the_filters() -> None:
    assert SEL == "Oceania · executive"
    assert Filters().describe() == "all data"
    many = Filters(roles=("a", "b", "c")).describe()
    assert many == "3 roles"
