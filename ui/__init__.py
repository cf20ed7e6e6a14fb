"""Streamlit-only helpers for the pages: session state, cached loaders, tiles, tables. No business rules."""
