"""The script Streamlit runs for the "Skills" page (listed in dashboard/app.py's PAGES).

The page itself is dashboard/views/skills/; this file only hands it the router's context.
"""

from dashboard.ui.context import context
from dashboard.views.skills import render

render(context())
