"""The trivial baseline for scripts/capacity.py: one filter and one chart, nothing else.

Its per-run cost is Streamlit's own overhead; the dashboard's priority pages are measured against it.
Run by scripts/capacity.py (`streamlit run scripts/baseline_app.py`); no data, no project imports.
"""

import altair as alt
import pandas as pd
import streamlit as st

DISTRICTS = ["Basingstoke and Deane", "East Hampshire", "Hart", "Rushmoor", "Test Valley", "Winchester"]

st.title("Baseline")
chosen = st.multiselect("Focus districts", DISTRICTS, default=DISTRICTS[:2])
frame = pd.DataFrame([{"district": d, "year": 2015 + y, "value": (i + 1) * 10 + y}
                      for i, d in enumerate(chosen) for y in range(10)])
st.altair_chart(alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q", color="district:N"))
