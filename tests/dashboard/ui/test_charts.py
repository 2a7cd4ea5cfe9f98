"""Chart builders: titles say what and for which selection, axes carry units, hovers are human."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import queries
from dashboard.queries.filters import Filters
from dashboard.ui import charts

SEL = Filters(regions=("Oceania",), seniority=("executive",)).describe()


def _title(fig: go.Figure) -> str:
    return fig.layout.title.text


def test_lines_over_time_titles_units_and_human_hovers() -> None:
    df = pd.DataFrame(
        {
            "month": pd.to_datetime(["2023-01-01", "2023-02-01"]),
            "role": ["MLE", "MLE"],
            "share": [0.1234, 0.2],
        }
    )
    fig = charts.lines_over_time(
        df, "month", "share", "role", "Postings", SEL, "Share (%)", kind="percent"
    )
    assert "Postings" in _title(fig) and SEL in _title(fig)
    assert fig.layout.yaxis.title.text == "Share (%)"
    assert fig.layout.yaxis.tickformat == ".0%"
    assert list(fig.data[0].customdata[:, 0]) == ["12.3%", "20.0%"]


def test_ranked_bar_puts_the_largest_on_top_and_formats_money() -> None:
    df = pd.DataFrame({"label": ["a", "b", "c"], "v": [150_000, 90_000, 210_000]})
    fig = charts.ranked_bar(df, "label", "v", "Pay", SEL, charts.USD, kind="money")
    bar = fig.data[0]
    assert list(bar.y) == ["b", "a", "c"]  # plotly draws bottom-up: largest last = on top
    assert list(bar.text) == ["$90k", "$150k", "$210k"]
    assert fig.layout.xaxis.title.text == "USD per year"
    assert fig.layout.xaxis.range[1] > 210_000  # room for the outside labels


def test_ranked_bar_keeps_only_the_top_n() -> None:
    df = pd.DataFrame({"label": list("abcdef"), "v": [1, 2, 3, 4, 5, 6]})
    fig = charts.ranked_bar(df, "label", "v", "x", SEL, "n", top=3)
    assert list(fig.data[0].y) == ["d", "e", "f"]


def test_iso3_handles_namibia_and_unknown_codes() -> None:
    assert charts.iso3("NA") == "NAM"  # Namibia, the code pandas would read as NaN
    assert charts.iso3("US") == "USA"
    assert charts.iso3("ZZ") is None


def test_choropleth_drops_countries_it_cannot_place() -> None:
    df = pd.DataFrame(
        {"country_code": ["US", "NA", "ZZ"], "n": [10, 2, 1], "share": [0.77, 0.15, 0.08]}
    )
    fig = charts.choropleth(df, "Postings by country", SEL)
    assert list(fig.data[0].locations) == ["USA", "NAM"]
    assert list(fig.data[0].customdata[:, 0]) == ["10", "2"]


def test_box_from_quantiles_draws_only_groups_the_policy_allows() -> None:
    q = pd.DataFrame(
        {
            "role": ["shown", "hidden", "no tails"],
            "n": [500, 10, 50],
            "p10": [50e3, np.nan, np.nan],
            "p25": [80e3, np.nan, 70e3],
            "p50": [100e3, np.nan, 90e3],
            "p75": [130e3, np.nan, 110e3],
            "p90": [170e3, np.nan, np.nan],
        }
    )
    fig = charts.box_from_quantiles(q, "role", "Pay by role", SEL)
    boxes = [t for t in fig.data if isinstance(t, go.Box)]
    assert [b.name for b in boxes] == ["no tails", "shown"]  # sorted by median
    no_tails = boxes[0]
    assert no_tails.lowerfence[0] == 70e3 and no_tails.upperfence[0] == 110e3
    assert "whiskers p10–p90" in _title(fig)
    hover = [t.hovertemplate for t in fig.data if isinstance(t, go.Scatter)]
    assert any("median $100k" in h and "n = 500 records" in h for h in hover)


def test_heatmap_shows_percent_text_and_orders_columns_by_total() -> None:
    df = pd.DataFrame({"role": ["A", "A", "B"], "skill": ["x", "y", "y"], "share": [0.1, 0.5, 0.9]})
    fig = charts.heatmap(df, "role", "skill", "share", "Skills by role", SEL)
    hm = fig.data[0]
    assert list(hm.x) == ["y", "x"]
    assert hm.text[1][0] == "90%" and hm.text[1][1] == "0%"


def test_diverging_bars_label_percentage_points() -> None:
    df = pd.DataFrame({"skill": ["NLP", "AWS"], "diff": [0.3, -0.2]})
    fig = charts.diverging_bars(df, "skill", "diff", "What to learn", SEL, "pp")
    labels = [t for trace in fig.data for t in trace.text]
    assert "+30.0 pp" in labels and "-20.0 pp" in labels


def test_month_gaps_break_lines_where_no_source_collected_anything() -> None:
    df = pd.DataFrame(
        {
            "month": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-02-01", "2023-05-01"]),
            "role": ["A", "A", "B", "B"],
            "n": [5, 6, 7, 8],
        }
    )
    out = charts.with_month_gaps(df, "month", "n", "role").set_index(["role", "month"])["n"]
    assert out[("B", pd.Timestamp("2023-01-01"))] == 0  # others had postings: a real zero
    assert np.isnan(out[("A", pd.Timestamp("2023-03-01"))])  # nobody had any: a gap
    assert out[("A", pd.Timestamp("2023-05-01"))] == 0
    assert len(out) == 2 * 5


def test_the_ai_chart_shows_the_postings_behind_each_point(ai_store: tuple[str, str]) -> None:
    from dashboard.ui.charts import ai_share_figure

    fig = ai_share_figure(queries.demand.ai_share_by_month(*ai_store, Filters()), "all data")
    bars, line = fig.data
    assert list(bars.y) == [3, 4] and list(line.y) == pytest.approx([2 / 3, 0.5])
    assert line.hovertext[1] == "Feb 2023: 50.0% AI<br>2 of 4 postings (1 by title, 1 by skills)"
    assert "AI share of job postings per month" in fig.layout.title.text


def test_ai_share_bars_label_every_bar_with_its_n() -> None:
    from dashboard.ui.charts import ai_share_bars

    frame = pd.DataFrame({"value": ["Europe", "Asia"], "n": [1200, 40], "share": [0.25, 0.5]})
    fig = ai_share_bars(frame, "AI share by region", "all data")
    assert list(fig.data[0].text) == ["25.0% of 1,200", "50.0% of 40"]


def test_legends_sit_at_the_figures_bottom_edge_not_on_the_plots_scale() -> None:
    df = pd.DataFrame({"seniority": ["junior", "senior"], "p50": [90e3, 150e3], "role": ["A", "B"]})
    fig = charts.grouped_bars(df, "seniority", "p50", "role", "Pay", SEL, "EUR per year",
                              currency="EUR")  # fmt: skip
    legend = fig.layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == ("h", "container", 0,
                                                                           "bottom")  # fmt: skip
    assert fig.layout.yaxis.tickprefix == "€"
    assert {t for trace in fig.data for t in trace.text} == {"€90k", "€150k"}


def test_a_colour_legend_adds_its_rows_to_a_ranked_bars_height() -> None:
    df = pd.DataFrame(
        {"skill": list("abcdef"), "share": np.linspace(0.1, 0.6, 6), "category": list("xxyyzw")}
    )
    plain = charts.ranked_bar(df, "skill", "share", "Top", SEL, "Share", kind="percent")
    coloured = charts.ranked_bar(
        df, "skill", "share", "Top", SEL, "Share", kind="percent", color="category"
    )
    assert coloured.layout.height - plain.layout.height == charts.LEGEND_ROW * 2  # 4 groups


def test_pay_boxes_of_named_groups_lie_down_and_years_stand_up() -> None:
    q = pd.DataFrame(
        {
            "role": ["Machine Learning Engineer", "Data Analyst"],
            "year": [2023, 2024],
            "n": [500, 400],
            "p10": [50e3, 45e3],
            "p25": [80e3, 72e3],
            "p50": [100e3, 90e3],
            "p75": [130e3, 117e3],
            "p90": [170e3, 153e3],
        }
    )
    across = charts.box_from_quantiles(q, "role", "Pay by role", SEL, currency="GBP")
    boxes = [t for t in across.data if isinstance(t, go.Box)]
    assert {b.orientation for b in boxes} == {"h"}
    assert [b.y[0] for b in boxes] == ["Data Analyst", "Machine Learning Engineer"]
    assert (
        across.layout.xaxis.title.text == "GBP per year" and across.layout.xaxis.tickprefix == "£"
    )
    assert "Pay by role<br>" in _title(across)  # how to read a box is in the subtitle
    years = charts.box_from_quantiles(q, "year", "Pay by year", SEL)
    assert {b.orientation for b in years.data if isinstance(b, go.Box)} == {None}
    assert years.layout.yaxis.title.text == "USD per year"


def test_titles_wrap_to_a_phone_in_the_long_view_charts_too() -> None:
    from dashboard.ui.series_charts import series_figure

    df = pd.DataFrame(
        {"date": pd.to_datetime(["2024-01-01", "2024-02-01"]), "place": ["US", "US"],
         "value": [1.0, 2.0]}
    )  # fmt: skip
    long = (
        "every country in the series · monthly means of daily values · region and country "
        "filters apply"
    )
    fig = series_figure(df, "place", "Share of all job postings on Indeed that mention AI", long,
                        "percent_of_postings")  # fmt: skip
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) >= 3 and all(len(line.replace("<sup>", "").replace("</sup>", "")) <= 70
                                   for line in lines)  # fmt: skip
    assert fig.layout.margin.t == 40 + 20 * len(lines)
