"""The data layer of the EM3 Local Industrial Strategy dashboard.

Loading and validating upstream ONS files, the project's extract, the DuckDB
indicator store, the query API, the feedback store and the command line.
This package never imports streamlit.
"""

__version__ = "0.1.0"
