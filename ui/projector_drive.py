"""Moving what a workshop's projector shows: the facilitator view's buttons and the facilitator's
projector's keyboard shortcuts both come here. The state lives in the feedback store
(lis_data/feedback/projector_store.py); the projector's live fragment follows it."""

from __future__ import annotations

from lis_data.views import workshop_results
from lis_data.feedback.projector_store import EVIDENCE, SLIDES

from . import data

#: Headline charts on the evidence slide (and so the indicators stored with each poll answer).
HEADLINES = 2


def priority_ids() -> list[str]:
    return [p.id for p in data.catalogue().priorities]


def screen_priority(ws) -> str:
    ids = priority_ids()
    return ws.screen_priority if ws is not None and ws.screen_priority in ids else ids[0]


def screen_slide(ws) -> str:
    return ws.slide if ws is not None and ws.slide in SLIDES else EVIDENCE


def priority_kwargs(pid: str) -> dict:
    """What the store records with a priority on screen: its headline indicators, the data vintage."""
    return {"priority": pid, "indicators": [i.id for i in data.catalogue().headlines_for(pid, HEADLINES)],
            "vintage": workshop_results.data_vintage(data.store())}


def drive(store, code: str, *, slide: str | None = None, slide_step: int = 0, priority_step: int = 0,
          priority: str | None = None):
    """Change the slide (by name or by a step) and/or the priority (by id or by a step)."""
    ws = store.workshop(code)
    kwargs: dict = {}
    if slide is not None or slide_step:
        current = screen_slide(ws)
        kwargs["slide"] = slide or SLIDES[(SLIDES.index(current) + slide_step) % len(SLIDES)]
    ids = priority_ids()
    if priority_step:
        current = screen_priority(ws)
        priority = ids[(ids.index(current) + priority_step) % len(ids)]
    if priority is not None and priority in ids:
        kwargs.update(priority_kwargs(priority))
    return store.drive_projector(code, **kwargs)
