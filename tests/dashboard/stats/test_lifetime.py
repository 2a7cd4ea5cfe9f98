"""Posting lifetime from first/last seen: days online, still up, reposts, pay stated."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.stats.lifetime import lifetime_summary, with_lifetime


def _p(pid, first, last, posted=None, company="Acme", title="Data Scientist", pay=None,
       source="greenhouse", role="Data Scientist", country="US"):  # fmt: skip
    return {
        "posting_id": pid, "source": source, "posted_date": posted or first, "first_seen": first,
        "last_seen": last, "company": company, "title": title, "country_code": country,
        "salary_usd": pay, "role": role,
    }  # fmt: skip


def _frame(*rows):
    return pd.DataFrame(list(rows))


def test_days_online_run_from_the_posting_date_or_first_sighting_to_the_last():
    out = with_lifetime(
        _frame(
            _p("a", date(2026, 3, 1), date(2026, 3, 11)),
            _p("b", date(2026, 3, 5), date(2026, 3, 20), posted=date(2026, 3, 1), title="x"),
            _p("c", date(2026, 3, 20), date(2026, 3, 20), title="y"),
        )
    ).set_index("posting_id")
    assert out["days_online"].tolist() == [10, 19, 0]
    # the source's latest refresh was 2026-03-20: b and c were still listed then
    assert out["still_up"].tolist() == [False, True, True]


def test_the_same_job_posted_again_after_it_came_down_is_a_repost():
    out = with_lifetime(
        _frame(
            _p("a", date(2026, 1, 1), date(2026, 1, 10)),
            _p("b", date(2026, 2, 1), date(2026, 2, 5), company=" ACME "),  # same job, later
            _p("c", date(2026, 1, 5), date(2026, 1, 20), title="Data Engineer"),
            _p("d", date(2026, 1, 15), date(2026, 1, 25), title="Data Engineer"),  # overlaps c
            _p("e", date(2026, 3, 1), date(2026, 3, 2), country="DE"),  # another country
        )
    ).set_index("posting_id")
    assert out["reposted"].to_dict() == {"a": False, "b": True, "c": False, "d": False, "e": False}


def test_summary_per_role_and_source_gives_n_median_and_shares():
    frame = _frame(
        _p("a", date(2026, 1, 1), date(2026, 1, 11), pay=100_000.0),
        _p("b", date(2026, 1, 1), date(2026, 1, 5), title="t2"),
        _p("c", date(2026, 1, 1), date(2026, 1, 31), title="t3", pay=90_000.0),
        _p("d", date(2026, 1, 2), date(2026, 1, 3), role="AI Engineer", source="lever"),
    )
    out = lifetime_summary(frame, ["role", "source"]).set_index(["role", "source"])
    ds = out.loc[("Data Scientist", "greenhouse")]
    assert ds["n"] == 3 and ds["median_days_online"] == 10
    assert ds["share_states_pay"] == pytest.approx(2 / 3)
    assert ds["share_still_up"] == pytest.approx(1 / 3)
    assert out.loc[("AI Engineer", "lever"), "share_reposted"] == 0
