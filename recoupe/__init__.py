"""Recoupe: an investigation workspace for what reporters collect from encrypted messengers.

This package is the library: workspace store and migrations, named SQL, items, and (in later
issues) search, extraction, near-duplicates, timelines, cases and dossiers. Nothing here imports
Streamlit; `pages/` and `app.py` draw what this package returns.
"""

__version__ = "0.1.0"
