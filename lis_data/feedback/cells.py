"""CSV cells a spreadsheet shows as text (the OWASP rule against CSV injection); no imports, so every
export (the feedback store, the LIS hub) shares it without an import loop."""

from __future__ import annotations

from typing import Any


#: What a spreadsheet treats as the start of a formula (OWASP CSV injection).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet will show as text: text starting with a formula character
    gets a leading single quote; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
