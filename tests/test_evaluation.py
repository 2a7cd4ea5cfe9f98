"""The hand-labelled evaluation set (data/eval/) as a regression test: skill extraction and title
mapping must keep the goals of issue #14 on real postings (skips without the shared mirror)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.contract import SENIORITY_CODES
from etl.evaluate import (
    evaluate_roles,
    evaluate_skills,
    load_posting_labels,
    load_title_labels,
    main,
    score_skills,
)
from etl.normalise.roles import load_role_rules
from etl.normalise.skills import load_taxonomy

MIN_MENTIONS_PER_SOURCE = 20  # below this a source's precision moves 5+ points per posting


def test_the_labelled_sets_are_large_enough_and_use_known_names() -> None:
    postings, titles = load_posting_labels(), load_title_labels()
    assert len(postings) >= 120 and len(titles) >= 300
    assert postings["source"].nunique() >= 5 and not postings.duplicated(["source", "id"]).any()
    known = set(load_taxonomy().skills)
    assert not {s for labels in postings["skills"] for s in labels} - known
    assert set(titles["role"]) <= set(load_role_rules().roles)
    assert set(titles["seniority"]) <= set(SENIORITY_CODES)
    # file sources carry their title; API postings only their id (the text stays in the mirror)
    api = titles["id"] != ""
    assert (titles.loc[api, "title"] == "").all() and (titles.loc[~api, "title"] != "").all()


def test_scores_count_true_and_false_positives_per_source_and_skill() -> None:
    labels = pd.DataFrame(
        {"source": ["a", "a", "b"], "id": ["1", "2", "3"],
         "skills": [frozenset({"SQL", "Python"}), frozenset(), frozenset({"Go"})]}
    )  # fmt: skip
    scores = score_skills(labels, {("a", "1"): ["SQL", "R"], ("b", "3"): ["Go"]})
    assert (scores.overall.tp, scores.overall.fp, scores.overall.fn) == (2, 1, 1)
    assert scores.by_source["b"].precision == 1.0 and scores.by_source["a"].recall == 0.5
    assert scores.by_skill["R"].precision == 0.0 and scores.by_skill["Python"].recall == 0.0
    assert scores.errors == [("a", "1", ["R"], ["Python"])]


def test_skills_meet_the_goals_on_the_labelled_postings(shared_data: Path) -> None:
    scores, report = evaluate_skills(shared_data)
    text, stored = scores["text extractor"], scores["stored result"]
    assert text.overall.precision >= 0.92 and text.overall.recall >= 0.90, report
    assert stored.overall.precision >= 0.90 and stored.overall.recall >= 0.85, report
    for source, counts in stored.by_source.items():
        if counts.tp + counts.fn >= MIN_MENTIONS_PER_SOURCE:
            assert counts.precision >= 0.90 and counts.recall >= 0.85, (source, report)


def test_roles_meet_the_goal_on_the_labelled_titles(shared_data: Path) -> None:
    scores, report = evaluate_roles(shared_data)
    assert scores.role_accuracy >= 0.98, report
    assert scores.seniority_accuracy >= 0.95, report


def test_the_command_prints_every_disagreement(shared_data: Path, capsys) -> None:
    assert main(["roles", "--mirror", str(shared_data)]) == 0
    out = capsys.readouterr().out
    assert "role accuracy:" in out and "every role disagreement" in out


def test_the_command_without_a_mirror_is_one_clear_error(tmp_path: Path, capsys) -> None:
    assert main(["skills", "--mirror", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: no mirror of the sources at") and "\n" not in err
