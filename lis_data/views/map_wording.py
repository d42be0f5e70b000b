"""The maps' words, computed without pydeck or streamlit: a district's tooltip (figure, period, rank,
judgement) and fill colour, and the tables beside the maps. ui/maps.py lays the maps out with these."""

from __future__ import annotations

import pandas as pd

from lis_data.views.formatting import ordinal, with_unit
from lis_data.views.map_classes import colour_scale, is_missing


def rank_text(row: dict, polarity: str) -> str:
    rank, n = row.get("rank"), row.get("n_districts")
    if is_missing(rank) or is_missing(n):
        return "No rank among English districts"
    if polarity == "neither":
        return f"{ordinal(rank)} highest of {int(n)} English districts"
    return f"rank {int(rank)} of {int(n)} English districts (1 = best)"


def district_properties(snapshot_df: pd.DataFrame, indicator) -> dict[str, dict]:
    """Per EM3 district code: the tooltip fields and fill colour for one indicator's snapshot."""
    rows = snapshot_df.to_dict("records")
    colours = colour_scale([r["value"] for r in rows], indicator.polarity)
    out = {}
    for r, colour in zip(rows, colours):
        value_text = with_unit(r["value"], indicator.unit, indicator.decimals)
        period = r.get("period_label") if isinstance(r.get("period_label"), str) else (r.get("period") or "")
        rank = "" if is_missing(r["value"]) else rank_text(r, indicator.polarity)
        lines = [f"{indicator.short_label}: {value_text}", f"Period: {period}"]
        if rank:
            lines.append(rank[0].upper() + rank[1:])
        if r.get("judgement_text"):  # worded by the one rule (lis_data.domain.judgement), shape symbol included
            lines.append(r["judgement_text"][0:2] + r["judgement_text"][2:3].upper() + r["judgement_text"][3:])
        # Only what the map reads (colour, tooltip) and the figure: every first load sends these.
        out[r["areacd"]] = {
            "value": None if is_missing(r["value"]) else float(r["value"]),
            "fill": colour, "detail": "\n".join(lines),
        }
    return out


def towns_table(towns: pd.DataFrame, nearest: pd.DataFrame, district_names: dict[str, str],
                snapshot_df: pd.DataFrame | None = None) -> pd.DataFrame:
    """The table beside the towns map: town, district, that district's figure, nearest gateway and distance."""
    first = nearest.drop_duplicates("town").set_index("town")
    out = pd.DataFrame({
        "Town": towns["town"],
        "District": towns["district_code"].map(district_names),
        "Nearest gateway": towns["town"].map(first["gateway"]),
        "Distance (km)": towns["town"].map(first["distance_km"]),
    })
    if snapshot_df is not None:
        values = snapshot_df.set_index("areacd")["value"]
        out.insert(2, "District figure", towns["district_code"].map(values).astype(float))
    return out.reset_index(drop=True)


def choropleth_table(snapshot_df: pd.DataFrame, polarity: str) -> pd.DataFrame:
    """The table behind the choropleth: district, figure, period, rank among English districts."""
    return pd.DataFrame({
        "District": snapshot_df["areanm"],
        "Figure": snapshot_df["value"].astype(float),
        "Period": snapshot_df["period_label"],
        "Rank of English districts": [
            "" if is_missing(r["value"]) else rank_text(r, polarity) for r in snapshot_df.to_dict("records")],
        **({"Judgement": snapshot_df["judgement_text"].tolist()} if "judgement_text" in snapshot_df else {}),
    })
