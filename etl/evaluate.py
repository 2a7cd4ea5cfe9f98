"""Measure skill extraction and title mapping against the hand-labelled set in data/eval/.

Every skill share and role on the dashboard is only as good as these two steps, so they are
measured, not assumed: ``python -m etl.evaluate skills`` scores the text extractor and what the
pipeline stores for each labelled API posting (precision and recall overall, per source and per
skill, every miss listed); ``python -m etl.evaluate roles`` scores role and seniority of the
labelled titles and lists every disagreement. The labels follow docs/EVALUATION.md; the posting
text is read from the shared mirror (``--mirror`` / AIJOBS_MIRROR), never stored in the repo.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from etl import config
from etl.normalise import roles, seniority, skills

DEFAULT_MIRROR = config.PROJECT_ROOT.parent / "shared" / "data"


def eval_dir() -> Path:
    """Where the labelled sets live (data/eval/)."""
    return config.data_dir() / "eval"


def load_posting_labels(path: Path | None = None) -> pd.DataFrame:
    """The labelled postings: source, id, skills (a frozenset of canonical names)."""
    path = Path(path) if path else eval_dir() / "skills_postings.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows = [
        (str(e["source"]), str(e["id"]), frozenset(str(s) for s in e.get("skills") or []))
        for e in raw.get("postings") or []
    ]
    return pd.DataFrame(rows, columns=["source", "id", "skills"])


def load_title_labels(path: Path | None = None) -> pd.DataFrame:
    """The labelled titles: source, id (API postings) or title (file sources), role, seniority."""
    path = Path(path) if path else eval_dir() / "titles.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def resolve_mirror(mirror: Path | str | None) -> Path:
    """The mirror to read posting text from: the argument, AIJOBS_MIRROR, or ../shared/data."""
    path = Path(mirror) if mirror else (config.mirror_dir() or DEFAULT_MIRROR)
    if not path.is_dir():
        raise FileNotFoundError(
            f"no mirror of the sources at {path}: pass --mirror DIR or set AIJOBS_MIRROR"
        )
    return path


def staged_api_postings(mirror: Path, names: Iterable[str] | None = None) -> pd.DataFrame:
    """The staged postings of the API sources (read from ``mirror``), with a ``source`` column."""
    from etl.adapters import stage
    from etl.sources import load_sources

    wanted = set(names) if names is not None else None
    frames = []
    for source in load_sources():
        if not source.get("adapter") or (wanted is not None and source["name"] not in wanted):
            continue
        frame, _ = stage(source, mirror)
        frames.append(frame.assign(source=source["name"]))
    if not frames:
        return pd.DataFrame(columns=["source", "source_id", "title", "skills", "description"])
    return pd.concat(frames, ignore_index=True)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, gold: frozenset[str], found: frozenset[str]) -> None:
        self.tp += len(gold & found)
        self.fp += len(found - gold)
        self.fn += len(gold - found)


@dataclass
class SkillScores:
    """Precision/recall of one predictor on the labelled postings."""

    overall: Counts = field(default_factory=Counts)
    by_source: dict[str, Counts] = field(default_factory=dict)
    by_skill: dict[str, Counts] = field(default_factory=dict)
    errors: list[tuple[str, str, list[str], list[str]]] = field(default_factory=list)


def score_skills(
    labels: pd.DataFrame, predicted: Mapping[tuple[str, str], Iterable[str]]
) -> SkillScores:
    """Compare ``predicted`` ((source, id) -> skills) with the labels, posting by posting."""
    scores = SkillScores()
    for source, pid, gold in labels[["source", "id", "skills"]].itertuples(index=False):
        found = frozenset(predicted.get((source, pid), ()))
        scores.overall.add(gold, found)
        scores.by_source.setdefault(source, Counts()).add(gold, found)
        for skill in gold | found:
            scores.by_skill.setdefault(skill, Counts()).add(gold & {skill}, found & {skill})
        if gold != found:
            scores.errors.append((source, pid, sorted(found - gold), sorted(gold - found)))
    return scores


def text_skills(staged: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """What the text extractor finds in each staged posting's description."""
    extractor = skills.SkillExtractor()
    found = extractor.extract_many(staged["description"].astype("object"))
    return dict(zip(zip(staged["source"], staged["source_id"], strict=True), found, strict=True))


def stored_skills(staged: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """What the pipeline would store in posting_skills for each staged posting."""
    from etl.transform import posting_skill_lists

    out: dict[tuple[str, str], list[str]] = {}
    for source, part in staged.groupby("source", sort=False):
        lists = posting_skill_lists(part)
        out.update(zip(((source, i) for i in part["source_id"]), lists, strict=True))
    return out


def _fmt(counts: Counts) -> str:
    return (
        f"{counts.precision:9.3f} {counts.recall:7.3f} {counts.tp:5d} {counts.fp:5d} {counts.fn:5d}"
    )


def skills_report(scores: Mapping[str, SkillScores], n_postings: int, n_skills: int) -> str:
    """The skills evaluation as plain text (it goes into docs/EVALUATION.md as is)."""
    lines = [f"labelled postings: {n_postings}, labelled skill mentions: {n_skills}", ""]
    head = f"{'':28s} {'precision':>9s} {'recall':>7s} {'tp':>5s} {'fp':>5s} {'fn':>5s}"
    for name, score in scores.items():
        lines += [f"== {name}", head, f"{'overall':28s} {_fmt(score.overall)}"]
        for source in sorted(score.by_source):
            lines.append(f"  {source:26s} {_fmt(score.by_source[source])}")
        lines.append("")
    lines += [
        "== per skill (" + " | ".join(scores) + ")",
        f"{'skill':28s}" + "".join(f" {'P':>6s} {'R':>6s} {'tp/fp/fn':>10s}" for _ in scores),
    ]
    every = sorted(set().union(*(s.by_skill for s in scores.values())))
    for skill in every:
        cells = ""
        for score in scores.values():
            c = score.by_skill.get(skill, Counts())
            cells += f" {c.precision:6.2f} {c.recall:6.2f} {f'{c.tp}/{c.fp}/{c.fn}':>10s}"
        lines.append(f"{skill:28s}{cells}")
    for name, score in scores.items():
        lines += ["", f"== every disagreement ({name}): posting: +extra (not labelled) -missed"]
        for source, pid, extra, missed in score.errors:
            parts = [f"+{s}" for s in extra] + [f"-{s}" for s in missed]
            lines.append(f"{source}:{pid}: {' '.join(parts)}")
    return "\n".join(lines)


def evaluate_skills(mirror: Path | str | None = None) -> tuple[dict[str, SkillScores], str]:
    """Scores of the text extractor and of the stored result, and the printable report."""
    labels = load_posting_labels()
    staged = staged_api_postings(resolve_mirror(mirror), labels["source"].unique())
    key = set(zip(labels["source"], labels["id"], strict=True))
    have = set(zip(staged["source"], staged["source_id"], strict=True))
    if missing := sorted(key - have):
        raise LookupError(f"{len(missing)} labelled postings are not in the mirror: {missing[:3]}")
    staged = staged[[k in key for k in zip(staged["source"], staged["source_id"], strict=True)]]
    scores = {
        "text extractor": score_skills(labels, text_skills(staged)),
        "stored result": score_skills(labels, stored_skills(staged)),
    }
    n_skills = int(labels["skills"].map(len).sum())
    return scores, skills_report(scores, len(labels), n_skills)


@dataclass
class TitleScores:
    n: int
    role_correct: int
    seniority_correct: int
    role_errors: list[tuple[str, str, str, str]]
    seniority_errors: list[tuple[str, str, str, str]]

    @property
    def role_accuracy(self) -> float:
        return self.role_correct / self.n if self.n else 1.0

    @property
    def seniority_accuracy(self) -> float:
        return self.seniority_correct / self.n if self.n else 1.0


def score_titles(labels: pd.DataFrame) -> TitleScores:
    """Role and seniority of each labelled title (column ``title`` filled in) against its labels."""
    role_errors, level_errors = [], []
    role_ok = level_ok = 0
    for source, title, role, level in labels[["source", "title", "role", "seniority"]].itertuples(
        index=False
    ):
        got_role = roles.map_role(title)
        got_level = seniority.seniority_from_title(title)
        if got_role == role:
            role_ok += 1
        else:
            role_errors.append((source, title, role, got_role))
        if got_level == level:
            level_ok += 1
        else:
            level_errors.append((source, title, level, got_level))
    return TitleScores(len(labels), role_ok, level_ok, role_errors, level_errors)


def titles_report(scores: TitleScores) -> str:
    """The roles evaluation as plain text."""
    lines = [
        f"labelled titles: {scores.n}",
        f"role accuracy:      {scores.role_accuracy:.3f} ({scores.role_correct}/{scores.n})",
        f"seniority accuracy: {scores.seniority_accuracy:.3f} "
        f"({scores.seniority_correct}/{scores.n})",
        "",
        "== every role disagreement: source | title | labelled -> mapped",
    ]
    lines += [f"{s} | {t} | {want} -> {got}" for s, t, want, got in scores.role_errors]
    lines += ["", "== every seniority disagreement: source | title | labelled -> mapped"]
    lines += [f"{s} | {t} | {want} -> {got}" for s, t, want, got in scores.seniority_errors]
    return "\n".join(lines)


def evaluate_roles(mirror: Path | str | None = None) -> tuple[TitleScores, str]:
    """Scores of the role and seniority mapping on the labelled titles, and the report."""
    labels = load_title_labels()
    api = labels["id"] != ""
    if api.any():
        staged = staged_api_postings(resolve_mirror(mirror), labels.loc[api, "source"].unique())
        ids = zip(staged["source"], staged["source_id"], strict=True)
        titles = dict(zip(ids, staged["title"], strict=True))
        keys = list(zip(labels.loc[api, "source"], labels.loc[api, "id"], strict=True))
        if missing := [k for k in keys if k not in titles]:
            raise LookupError(f"{len(missing)} labelled titles not in the mirror: {missing[:3]}")
        labels = labels.copy()
        labels.loc[api, "title"] = [titles[k] for k in keys]
    scores = score_titles(labels)
    return scores, titles_report(scores)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m etl.evaluate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("what", choices=["skills", "roles"])
    parser.add_argument("--mirror", help="folder holding the sources' files (api_samples/ ...)")
    args = parser.parse_args(argv)
    try:
        if args.what == "skills":
            _, report = evaluate_skills(args.mirror)
        else:
            _, report = evaluate_roles(args.mirror)
    except (FileNotFoundError, LookupError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
