"""The dashboard's entry point: a router, the global filters, the data-as-of caption, the banner.

Run with ``python -m dashboard.serve`` (or ``streamlit run dashboard/app.py``). Each page is a
package under dashboard/views/, run through its script dashboard/routes/<page>.py; the layout is
described in docs/INTERFACES.md. The store path is ``AIJOBS_STORE`` or the
default of etl.config.store_path(); nothing heavy happens at import time and nothing touches
the network.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` without an installed package
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import streamlit as st  # noqa: E402

from dashboard.queries import store as store_queries  # noqa: E402
from dashboard.stats import honesty  # noqa: E402
from dashboard.stats.text import plain  # noqa: E402
from dashboard.ui import currency, sidebar  # noqa: E402
from dashboard.ui.context import CTX_KEY, DEMO_BANNER, Context  # noqa: E402
from dashboard.ui.freshness import data_as_of_line, data_as_of_short  # noqa: E402
from etl.config import store_path  # noqa: E402
from etl.contract import SCHEMA_VERSION  # noqa: E402
from etl.store import StoreError, store_version  # noqa: E402

PAGES = (  # (page: routes/<page>.py runs views/<page>/, and /<page> is its URL), title, icon
    ("overview", "Overview", ":material/home:"),
    ("demand", "Demand", ":material/trending_up:"),
    ("salary", "Salary", ":material/payments:"),
    ("skills", "Skills", ":material/construction:"),
    ("compare", "Compare roles", ":material/compare_arrows:"),
    ("fit", "Where do you fit?", ":material/person_search:"),
    ("offer", "Is this offer good?", ":material/price_check:"),
    ("data", "Data", ":material/database:"),
    ("about", "About the data", ":material/info:"),
)


# The tab's icon, a file of the app (a Material icon name would be fetched from Google Fonts).
# A comment, not a string: Streamlit's "magic" would print a bare string of this script.
FAVICON = ROOT / "dashboard" / "static" / "favicon.png"


def shown_path(path: Path) -> str:
    """The store's path as visitors may see it: relative to the project, never the server's
    absolute path (which says how the server is laid out)."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return path.name


def no_store(path: Path, why: str | None = None) -> None:
    """Explain how to build a store instead of failing."""
    st.title("AI job market")
    st.error(why or f"No data store at `{shown_path(path)}` yet.")
    st.markdown(
        "Build one, then reload this page:\n\n"
        "- `make run` — builds the store (from `AIJOBS_MIRROR`, the network, or a labelled demo) "
        "and serves the dashboard;\n"
        "- `python -m etl refresh --mirror ../shared/data` — from a local copy of the sources.\n\n"
        f"Set `AIJOBS_STORE` to use a store elsewhere (now: `{shown_path(path)}`)."
    )


def main() -> None:
    st.set_page_config(page_title="AI job market", page_icon=str(FAVICON), layout="wide")
    honesty.read_secrets_with(lambda: st.secrets.get("honesty", {}))
    path = store_path()
    if not path.exists():
        no_store(path)
        return
    store, version = str(path), store_version(path)
    try:
        meta = store_queries.store_meta(store, version)
        options = store_queries.filter_options(store, version)
    except (StoreError, duckdb.Error) as exc:
        reason = plain(str(exc).replace(str(path), shown_path(path)).splitlines()[0], 200)
        no_store(path, f"The store at `{shown_path(path)}` cannot be read: {reason}")
        return
    built_by = meta.get("schema_version")
    if built_by != SCHEMA_VERSION:  # an older (or newer) store: its tables differ from the queries'
        no_store(
            path,
            f"The store at `{shown_path(path)}` was built by another version of this project "
            f"(store schema {plain(str(built_by), 20)}; this dashboard reads schema "
            f"{SCHEMA_VERSION}). Upgrade it with `python -m etl ensure-store` (`make run` does "
            "it), then reload.",
        )
        return
    filters = sidebar.render(options)
    currency.picker()
    st.sidebar.caption(data_as_of_line(store, version, meta))
    st.session_state[CTX_KEY] = Context(store, version, filters, options, meta)
    if meta.get("kind") == "demo":
        st.warning(DEMO_BANNER, icon=":material/science:")
    st.caption(data_as_of_short(store, version, meta))
    # The first page lives at "/". Streamlit would also reserve the path of its file for it
    # without serving it ("Page not found"), so its path is "/" alone, and /overview, the path
    # every other page's pattern suggests, is a hidden page leading to "/" with the filters.
    pages = [
        st.Page(f"routes/{p}.py", title=t, icon=i, default=(k == 0),
                url_path="" if k == 0 else None)
        for k, (p, t, i) in enumerate(PAGES)
    ]  # fmt: skip

    def to_home() -> None:
        st.switch_page(pages[0], query_params=carried_params())

    alias = st.Page(to_home, title=PAGES[0][1], url_path=PAGES[0][0], visibility="hidden")
    st.navigation([*pages, alias]).run()


def carried_params() -> list[tuple[str, str]]:
    """The address's query parameters, every value of a repeated key kept, in order."""
    return [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]


main()
