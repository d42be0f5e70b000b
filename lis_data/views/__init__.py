"""The view layer: what pages, the evidence pack and the HTTP API show, as typed results.

No Streamlit and no pages: `lis_data` never imports either (tests/test_layering.py). Pages lay out
and word these results; `python -m lis_data pack` calls the same functions.
"""
