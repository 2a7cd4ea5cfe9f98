"""The "Where do you fit?" page: your skills -> coverage of each role, and the skills to learn next.

Skills come from the taxonomy (a multiselect) or from pasted text through the ETL's extractor;
the extracted skills land in the multiselect so the user can correct them. The pasted text stays
in this session's widget state: it is never put in the URL, passed to a cached function, stored,
logged or sent anywhere. The chosen skills (not the text) go in the URL (?skill=...).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.stats import fit
from dashboard.stats.format import count, percent
from dashboard.stats.honesty import median_reason, thresholds
from dashboard.stats.premium import describe
from dashboard.stats.role_skills import top_per_role
from dashboard.stats.text import plain
from dashboard.ui import charts
from dashboard.ui import currency as pay_currency
from dashboard.ui.context import Context, empty_state
from dashboard.ui.download import chart_csv
from dashboard.views.compare import URL_KEYS
from dashboard.views.fit.weights import choose_weights, relabel
from etl.normalise.skills import load_taxonomy

URL_KEY = "skill"
SKILLS_KEY = "fit_skills"
TEXT_KEY = "fit_text"
_KEEP = "_fit_skills_keep"  # survives page switches (widget state does not)
_FOUND = "_fit_found"
_FROM_URL = "_fit_from_url"
_IGNORED = "_fit_ignored"
COMPARE_PAGE = "routes/compare.py"
COMPARE_KEYS = URL_KEYS  # ("a", "b"): the roles Compare opens on


def _init(options: list[str]) -> None:
    """First visit: the skills in the URL; later visits: the skills chosen before."""
    ss = st.session_state
    if not ss.get(_FROM_URL):
        ss[_FROM_URL] = True
        raw = st.query_params.get_all(URL_KEY)
        good = fit.valid_skills(raw)
        ss[_IGNORED] = [v for v in raw if not fit.valid_skills([v])]
        if good:
            ss[SKILLS_KEY] = [s for s in good if s in options]
    if SKILLS_KEY not in ss and _KEEP in ss:
        ss[SKILLS_KEY] = list(ss[_KEEP])


def _extract() -> None:
    """Button callback: add the skills found in the pasted text to the multiselect."""
    ss = st.session_state
    found = fit.extract_skills(ss.get(TEXT_KEY))
    ss[_FOUND] = found
    ss[SKILLS_KEY] = list(dict.fromkeys([*(ss.get(SKILLS_KEY) or []), *found]))


def _clear_text() -> None:
    st.session_state[TEXT_KEY] = ""
    st.session_state.pop(_FOUND, None)


def _write_url(chosen: list[str]) -> None:
    if chosen:
        if st.query_params.get_all(URL_KEY) != chosen:
            st.query_params[URL_KEY] = chosen
    elif URL_KEY in st.query_params:
        del st.query_params[URL_KEY]


def _pick(options: list[str]) -> list[str]:
    left, right = st.columns([3, 2])
    with left:
        chosen = st.multiselect(
            "Your skills",
            options,
            key=SKILLS_KEY,
            placeholder="Pick from the skills taxonomy…",
            help="The chosen skills go in the page address, so the view can be shared.",
        )
        found = st.session_state.get(_FOUND)
        if found:
            st.caption(
                "Found in your text: "
                + ", ".join(found)
                + ". Added above — remove any that are wrong, add what was missed."
            )
        elif found == []:
            st.caption("No skills from the taxonomy found in the text.")
    with right:
        st.text_area(
            "…or paste a CV or a skills paragraph",
            key=TEXT_KEY,
            height=130,
            placeholder="e.g. 4 years of Python and SQL, trained PyTorch models, some Docker…",
            help="Stays in this browser session: never stored, logged, put in the address or "
            "sent anywhere. Only the skills found in it are used.",
        )
        b1, b2 = st.columns(2)
        b1.button("Find skills in the text", key="fit_extract", on_click=_extract)
        b2.button("Clear the text", key="fit_clear", on_click=_clear_text)
    st.session_state[_KEEP] = list(chosen)
    return list(chosen)


POSTINGS_NOTE = (
    "Postings here count only those that list at least one skill (a posting without any says "
    "nothing about what the role asks for), so a role can have fewer than on the Demand or "
    "Compare pages."
)


def _roles_at_a_glance(freq: pd.DataFrame) -> None:
    """Before any skill is picked: what each role's postings ask for most."""
    if freq.empty:
        return
    st.subheader("What each role asks for most")
    table = top_per_role(freq, 5)
    st.dataframe(
        pd.DataFrame(
            {
                "Role": table["role"],
                "Postings listing skills": [count(n) for n in table["postings"]],
                "Top skills (share of the role's postings)": table["skills"],
            }
        ),
        hide_index=True,
        height="content",
    )
    st.caption(POSTINGS_NOTE)


def _role_pay(ctx: Context) -> dict[str, str]:
    """Median survey-reported pay per role, or why it is hidden."""
    q = queries.pay.salary_quantiles(ctx.store, ctx.version, ctx.filters, "survey", ("role",))
    day = pay_currency.rate_day(ctx, "survey")
    out = {}
    for r in q.itertuples(index=False):
        why = median_reason(int(r.n), "records")
        pay = pay_currency.shown(r.p50, day)
        out[r.role] = f"hidden: {why}" if why else f"{pay} ({count(r.n)} records)"
    return out


def ranking_table(cov: pd.DataFrame, pay: dict[str, str]) -> pd.DataFrame:
    """The ranked roles as shown: coverage, skills matched, postings, median pay, note."""
    shown = [
        "—" if note else percent(c, 0) for c, note in zip(cov["coverage"], cov["note"], strict=True)
    ]
    have = [f"{m} of {k}" for m, k in zip(cov["matched"], cov["skills"], strict=True)]
    return pd.DataFrame(
        {
            "Role": cov["role"],
            "Coverage": shown,
            "Skills you have": have,
            "Postings listing skills": [count(n) for n in cov["postings"]],
            "Median pay (survey)": [pay.get(r, "no records") for r in cov["role"]],
            "Note": cov["note"],
        }
    )


def learn_table(sugg: pd.DataFrame, prem: pd.DataFrame) -> pd.DataFrame:
    """The skills to learn for one role with frequency, coverage gain and adjusted premium."""
    p = prem.set_index("skill") if not prem.empty else pd.DataFrame()
    rows = []
    for s in sugg.itertuples(index=False):
        adj = raw = "—"
        if s.skill in p.index:
            r = p.loc[s.skill]
            adj = describe(r["adjusted"], r["adjusted_low"], r["adjusted_high"], r["adjusted_note"])
            raw = describe(r["raw"], r["raw_low"], r["raw_high"], r["raw_note"])
        rows.append(
            {
                "Skill": s.skill,
                "Asked by": f"{percent(s.share, 0)} of postings ({count(s.n)})",
                "Coverage gain": f"+{s.gain * 100:.1f} pts → {percent(s.coverage_after, 0)}",
                "Seniority-adjusted premium": adj,
                "Raw premium": raw,
            }
        )
    return pd.DataFrame(rows)


def render(ctx: Context) -> None:
    st.title("Where do you fit?")
    st.caption(
        "Coverage of a role = the share of what its postings ask for that you have, each skill "
        "weighted by how often the role's postings ask for it (within the sidebar's filters)."
    )
    options = sorted(load_taxonomy().skills, key=str.lower)
    _init(options)
    if st.session_state.get(_IGNORED):
        st.warning(
            "Ignored in the link: "
            + ", ".join(f"skill=“{plain(v, 40)}”" for v in st.session_state[_IGNORED][:5])
            + " (not in the skills taxonomy)",
            icon=":material/warning:",
        )
    chosen = _pick(options)
    _write_url(chosen)
    weights = choose_weights(ctx)
    freq = weights.frequencies
    if not chosen:
        st.info("Pick your skills, or paste a CV and press *Find skills in the text*.")
        if weights.kind == "postings":
            _roles_at_a_glance(freq)
        return
    cov = fit.coverage(freq, chosen)
    if cov.empty:
        empty_state("postings with skills", ctx.filters)
        return
    ranked = cov[cov["note"] == ""]
    if not ranked.empty:
        st.plotly_chart(
            charts.ranked_bar(
                ranked.head(12),
                "role",
                "coverage",
                weights.title,
                ctx.label,
                "Coverage (demand-weighted share of the role's skills)",
                kind="percent",
                top=12,
            )
        )
        chart_csv(
            ranked.head(12),
            "role coverage by your skills",
            weights.provenance,
            key="csv-fit-coverage",
        )
    table = relabel(ranking_table(cov, _role_pay(ctx)), weights)
    st.dataframe(table, hide_index=True, height="content")
    pay_currency.caption("Median pay (survey)", pay_currency.rate_day(ctx, "survey"))
    if weights.kind == "postings":
        st.caption(POSTINGS_NOTE)
    best = fit.best_roles(cov, 2)
    if not best:
        st.info("No role has enough postings in this selection to rank — widen the filters.")
        return
    t = thresholds()
    for role in best:
        st.subheader(f"To fit {role} better, learn")
        sugg = fit.suggestions(freq, chosen, role, top=5)
        if sugg.empty:
            st.success(f"You already have every skill {role} postings ask for.")
            continue
        prem = queries.pay.premiums(
            ctx.store, ctx.version, ctx.filters, tuple(sugg["skill"]), (role,), t
        )
        st.dataframe(relabel(learn_table(sugg, prem), weights), hide_index=True, height="content")
    st.caption(
        "Premium = median advertised pay of the role's postings asking for the skill vs those "
        "that do not; *seniority-adjusted* compares within each seniority level, then weights "
        "the levels by postings with the skill. 90% bootstrap intervals. Correlation, not cause."
    )
    if len(best) == 2:
        st.page_link(
            COMPARE_PAGE,
            label=f"Compare {best[0]} and {best[1]}",
            icon=":material/compare_arrows:",
            query_params=dict(zip(COMPARE_KEYS, best, strict=True)),
        )
