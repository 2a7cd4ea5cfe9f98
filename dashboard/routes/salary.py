"""The script Streamlit runs for the "Salary" page (listed in dashboard/app.py's PAGES).

The page itself is dashboard/views/salary/; this file only hands it the router's context.
"""

from dashboard.ui.context import context
from dashboard.views.salary import render

render(context())
