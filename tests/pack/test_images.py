"""Chart images: the page's own spec rendered offline as SVG and PNG, with the title, the source and
the licence in the image."""

from __future__ import annotations

import io

from PIL import Image

from lis_data.constants import ATTRIBUTION
from lis_data.views import indicator as iv
from lis_data.views.images import chart_png, chart_svg
from lis_data.views.source import StoreSource

WOKING = "E07000217"


def test_trend_chart_image_carries_title_source_and_licence(store):
    src = StoreSource(store)
    fig = iv.trend_figure(src, "gva-per-hour", ((WOKING, "Woking"),), (("E92000001", "England"),), None, None,
                          False)
    svg = chart_svg(fig.spec, "Source: Office for National Statistics, released 2025-06-01.")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    flat = svg.replace("&amp;", "&")
    assert "Woking" in flat  # the chart's own title names the area and its figure
    assert "released 2025-06-01" in flat and ATTRIBUTION.split(",")[0] in flat and "Open Government Licence" in flat
    png = Image.open(io.BytesIO(chart_png(fig.spec, "Source: ONS.", scale=1)))
    assert png.format == "PNG" and png.size[0] > 300
    assert sum(png.convert("L").histogram()[:200]) > 0.02 * png.size[0] * png.size[1], "the chart is drawn"
