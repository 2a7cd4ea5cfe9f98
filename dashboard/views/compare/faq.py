"""Compare roles, "Questions people ask": short answers whose numbers come from the query layer
(practitioners' survey answers), each with its n, source, year and caveats."""

from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.stats import survey_answers as sa
from dashboard.ui.context import Context
from dashboard.views.compare.practitioners import survey_label

QUESTIONS = (
    "Do I need a PhD to be a research scientist?",
    "Which frameworks does each role use?",
    "Which pays more, and where?",
    "How many years of ML experience do people in the role have?",
)


def render_faq(ctx: Context, a: str, b: str) -> None:
    """The FAQ for the two roles compared (the PhD question always includes Research Scientist
    when the store has it)."""
    st.header("Questions people ask")
    source = survey_label(ctx)
    if source is None:
        st.info("These answers need a practitioner survey in the store (see the Data page).")
        return
    roles = (a, b)
    phd_roles = roles if "Research Scientist" in roles else (*roles, "Research Scientist")
    countries = tuple(ctx.filters.countries)
    q = queries.practitioners
    education = q.answer_shares(ctx.store, ctx.version, "education", phd_roles, countries)
    tools = q.tool_shares(ctx.store, ctx.version, roles, countries, top=10)
    bands = q.pay_bands(ctx.store, ctx.version, roles, countries)
    years_ml = q.answer_shares(ctx.store, ctx.version, "years_ml", roles, countries)
    answers = (
        sa.phd_answer(education, phd_roles),
        sa.frameworks_answer(tools, roles),
        sa.pay_answer(bands, roles),
        sa.years_answer(years_ml, roles),
    )
    where = ", ".join(countries) if countries else "all countries"
    for question, answer in zip(QUESTIONS, answers, strict=True):
        with st.expander(question, expanded=question == QUESTIONS[0]):
            st.markdown(answer.replace("$", "\\$"))  # "$100,000" is money, not LaTeX
            st.caption(
                f"Source: {source} · {where}. Self-selected Kaggle users, not a representative "
                "sample; figures over too few respondents are not shown."
            )
