"""What pages are drawn with: the sidebar and the filters' URL state, the page context, chart
builders and the refresh panel. It may use dashboard.queries' value types (Filters, Options) and
dashboard.stats (formats), never the views.
"""
