"""The scripts Streamlit runs, one per page (``routes/<page>.py``, named as the page's URL path).

Each only calls ``dashboard.views.<page>.render(context())``; dashboard/app.py registers them with
st.navigation. They are files rather than callables so that a page keeps its URL (/demand) and
Streamlit's AppTest can open it with ``switch_page("routes/demand.py")``. Never import them.
"""
