"""The pages hand Vega-Lite specs built with validation switched off (for speed); here every chart
builder's output is validated against the Vega-Lite schema once."""

from __future__ import annotations

import pytest
from page_helpers import CATALOGUE, run_page

from lis_data.views import charts
from ui import views


@pytest.mark.parametrize("indicator_id", ["gva-per-hour", "claimant-count", "life-satisfaction", "exports"])
def test_chart_specs_validate(indicator_id, monkeypatch):
    run_page(CATALOGUE.indicator(indicator_id).priorities[0])  # fills the caches the builders read
    built = []
    real_trend, real_ranked = charts.trend_chart, charts.ranked_bar_chart

    def keep(fn):
        def wrapper(*a, **k):
            chart = fn(*a, **k)
            built.append(chart)
            return chart
        return wrapper

    monkeypatch.setattr(charts, "trend_chart", keep(real_trend))
    monkeypatch.setattr(charts, "ranked_bar_chart", keep(real_ranked))
    views.trend_figure.clear()
    views.ranked_figure.clear()
    at = run_page(CATALOGUE.indicator(indicator_id).priorities[0], {"ind": indicator_id})
    assert not at.exception
    assert built, "no chart was built"
    for chart in built:
        chart.to_dict(validate=True)  # raises on an invalid spec
