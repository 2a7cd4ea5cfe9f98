"""ETL for the AI job-market dashboard: sources -> raw -> normalised -> validated -> store."""

__version__ = "0.1.0"
