"""The "Is this offer good?" page: one pay offer against survey-reported and advertised pay.

Enter a pay (any currency, any period), a role, a seniority and a place. For each kind of pay the
page finds the narrowest comparable cell with enough figures (dashboard/stats/offer.py widens a
thin one and says which it used) and shows the offer's percentile, the cell's p25–p75 and n, in
the offer's currency. What is typed stays in this session's widgets: it is never passed to a
cached function, stored or logged, and it reaches the URL only when the user clicks "Share".
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.queries import offer as offer_queries
from dashboard.stats import currency, offer
from dashboard.stats.honesty import thresholds
from dashboard.ui import currency as currency_ui
from dashboard.ui.context import Context
from dashboard.ui.download import about_link, chart_csv
from dashboard.ui.pay_charts import offer_figure
from dashboard.ui.sidebar import country_name

URL_KEYS = ("pay", "pay_cur", "per", "orole", "olevel", "oplace")
"""Page-owned URL keys, written only by the Share button."""
_K = {k: f"offer_{k}" for k in URL_KEYS}
ANY_LEVEL, ANYWHERE = "any", "anywhere"
_KINDS = (("survey", "Survey-reported pay"), ("advertised", "Advertised pay"))


def _init(ctx: Context, codes: tuple[str, ...]) -> None:
    """First visit: the shared link's values when there are any, else neutral defaults."""
    ss = st.session_state
    if ss.get("_offer_init"):
        return
    ss["_offer_init"] = True
    q = st.query_params
    try:
        amount = float(q.get("pay", "")) if q.get("pay") else None
    except ValueError:
        amount = None
    ss[_K["pay"]] = amount if amount and amount > 0 else None
    cur = str(q.get("pay_cur", currency_ui.current())).upper()
    ss[_K["pay_cur"]] = cur if cur in currency.currencies() else currency_ui.current()
    per = q.get("per", "year")
    ss[_K["per"]] = per if per in offer.PERIODS else "year"
    role = q.get("orole")
    ss[_K["orole"]] = role if role in ctx.options.roles else ctx.options.roles[0]
    level = q.get("olevel", ANY_LEVEL)
    ss[_K["olevel"]] = level if level in (ANY_LEVEL, *ctx.options.seniority) else ANY_LEVEL
    place = q.get("oplace", ANYWHERE)
    ss[_K["oplace"]] = place if place in (ANYWHERE, *codes) else ANYWHERE


def _inputs(ctx: Context) -> dict:
    codes = tuple(c for c, _ in ctx.options.countries)
    _init(ctx, codes)
    c1, c2, c3 = st.columns([2, 1, 1])
    c1.number_input(
        "Offered pay (gross)", min_value=0.0, step=1000.0, key=_K["pay"], placeholder="e.g. 85000"
    )
    c2.selectbox("Currency", currency.currencies(), key=_K["pay_cur"])
    c3.selectbox("Per", offer.PERIODS, key=_K["per"])
    d1, d2, d3 = st.columns(3)
    d1.selectbox("Role", ctx.options.roles, key=_K["orole"])
    d2.selectbox("Seniority", (ANY_LEVEL, *ctx.options.seniority), key=_K["olevel"])
    d3.selectbox(
        "Place",
        (ANYWHERE, *codes),
        key=_K["oplace"],
        format_func=lambda c: "Anywhere" if c == ANYWHERE else country_name(c),
    )
    return {k: st.session_state[_K[k]] for k in URL_KEYS}


def _share(values: dict) -> None:
    """Put the inputs in the URL (only on this click) so the user can copy the address; once the
    inputs change, a shared address no longer matches them and is cleared."""
    shown = {k: st.query_params.get(k) for k in URL_KEYS if k in st.query_params}
    wanted = {k: str(v) for k, v in values.items() if v is not None}
    if shown and shown != wanted:
        for key in shown:
            del st.query_params[key]
    if st.button("Share: put these inputs in the address bar", key="offer_share"):
        for key, value in values.items():
            if value is not None:
                st.query_params[key] = str(value)
        st.success("The address bar now holds this offer; copy it to share.")


def render(ctx: Context) -> None:
    st.title("Is this offer good?")
    st.caption(
        "Where a pay offer falls among what people in the same role, seniority and place report "
        "(aijobs.net survey) and what postings advertise. Nothing you type is stored or logged; "
        "it goes in the address bar only if you click Share. "
        + about_link("offer_percentile", "How the percentile is computed")
    )
    values = _inputs(ctx)
    amount = values["pay"]
    if not amount:
        st.info("Enter the offered pay to see where it falls.")
        return
    cur, per = values["pay_cur"], values["per"]
    try:
        latest = currency.rate(cur, None)
    except ValueError as exc:
        st.error(str(exc))
        return
    yearly = offer.annual(amount, per)
    offer_usd = yearly / latest.per_usd
    region = dict(ctx.options.countries).get(values["oplace"])
    place = None if values["oplace"] == ANYWHERE else values["oplace"]
    label = country_name(place) if place else None
    ladder = offer.cell_ladder(values["orole"], values["olevel"], place, region, label)
    min_n = thresholds().min_n_median
    rate_note = (
        f"1 USD = {latest.per_usd:,.4g} {cur}, ECB reference rate of {latest.date:%Y-%m-%d}"
        if cur != "USD"
        else "no conversion"
    )
    st.markdown(
        f"**{currency.money(yearly, cur)} a year** ({rate_note}), compared with annual gross "
        f"pay; each cell needs {min_n}+ figures."
    )
    rows, prov = [], None
    for col, (kind, title) in zip(st.columns(2), _KINDS, strict=True):
        frame, period = offer_queries.role_pay(ctx.store, ctx.version, values["orole"], kind)
        with col:
            st.subheader(title)
            if frame.empty:
                st.info(f"No {title.lower()} for {values['orole']} in the store.")
                continue
            pos = offer.locate(offer_usd, frame, ladder, min_n)
            rows.append(_row(kind, period, pos, yearly, cur, latest))
            one = offer_queries.role_pay_provenance(
                ctx.store, ctx.version, values["orole"], kind
            ).with_(unit="pay figures", label=values["orole"])
            prov = one if prov is None else prov.plus(one)
            _show(pos, period, cur, latest, kind)
    if rows and prov is not None:
        table = pd.DataFrame(rows)
        st.plotly_chart(offer_figure(table, cur), key="offer_chart")
        chart_csv(table, "offer position", prov, key="csv-offer", metric="offer_percentile")
    _share(values)


def _row(kind: str, period: str, pos: offer.Position, yearly: float, cur: str, latest) -> dict:
    conv = 1.0 if cur == "USD" else latest.per_usd
    return {
        "pay": "survey-reported" if kind == "survey" else "advertised",
        "cell": pos.cell.label,
        "n": pos.n,
        "percentile": pos.percentile,
        "p25": pos.p25 * conv,
        "median": pos.p50 * conv,
        "p75": pos.p75 * conv,
        "offer": yearly,
        "currency": cur,
        "rate_per_usd": conv,
        "rate_date": latest.date,
        "period": period,
        "source": "aijobs_salaries" if kind == "survey" else "posting sources",
    }


def _show(pos: offer.Position, period: str, cur: str, latest, kind: str) -> None:
    conv = 1.0 if cur == "USD" else latest.per_usd
    if pos.widened:
        st.caption(f"Widened: {pos.widened}.")
    if not pos.enough:
        st.warning(
            f"Not enough data: the widest cell, {pos.cell.label}, has {pos.n} figures "
            f"(fewer than {thresholds().min_n_median}); no percentile is given."
        )
        return
    st.metric(
        f"Percentile in {pos.cell.label}",
        offer.ordinal(pos.percentile),
        help="Share of the cell's figures below the offer (figures equal to it count half).",
    )
    st.write(
        f"The offer is **{offer.verdict(pos.percentile)}**. The cell's middle half (p25–p75) is "
        f"{currency.money(pos.p25 * conv, cur)}–{currency.money(pos.p75 * conv, cur)}, median "
        f"{currency.money(pos.p50 * conv, cur)}; n = {pos.n:,} figures ({period})."
    )
    source = "aijobs.net survey (self-reported)" if kind == "survey" else "job postings"
    st.caption(f"Source: {source}. Figures are USD at their own date's rate, shown in {cur}.")
