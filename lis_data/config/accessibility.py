"""The accessibility statement as data: what was audited, when, how, and what is known not to meet
WCAG 2.2 AA (lis_data/config/accessibility.toml). The Accessibility page words it; the browser
audit (tests/e2e/test_e2e_accessibility.py) reads the same known issues, so the statement cannot
drift from what the audit finds."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from lis_data.errors import ConfigError
from lis_data.paths import CONFIG_DIR


@dataclass(frozen=True)
class KnownIssue:
    rule: str            # the axe-core rule id, e.g. "svg-img-alt"
    matches: str         # a regular expression the offending element's HTML matches
    where: str           # where a person meets it, in plain words
    wcag: str            # the success criterion, e.g. "1.1.1 Non-text content (A)"
    cause: str           # who causes it: "streamlit" (the framework) or "project"
    reference: str       # the framework's issue or the project's plan
    workaround: str      # what a person can do meanwhile

    def applies_to(self, rule: str, html: str) -> bool:
        return rule == self.rule and re.search(self.matches, html) is not None


@dataclass(frozen=True)
class OtherIssue:
    """A failure the screenshots show that no automated rule catches."""

    where: str
    wcag: str
    detail: str
    workaround: str


@dataclass(frozen=True)
class Statement:
    organisation: str
    service: str
    standard: str
    status: str                  # "fully", "partially" or "not" compliant
    last_tested: date
    statement_prepared: date
    method: str
    contact_email: str
    response_days: int
    enforcement: str
    known_issues: tuple[KnownIssue, ...]
    not_in_scope: tuple[str, ...]
    what_we_did: tuple[str, ...]
    other_issues: tuple[OtherIssue, ...] = ()

    @property
    def has_issues(self) -> bool:
        return bool(self.known_issues or self.other_issues)

    def known_issue_for(self, rule: str, html: str) -> KnownIssue | None:
        return next((k for k in self.known_issues if k.applies_to(rule, html)), None)


def parse_statement(raw: dict, source: str = "accessibility.toml") -> Statement:
    try:
        issues = tuple(KnownIssue(**k) for k in raw.get("known_issue", []))
        status = raw["status"]
        if status not in ("fully", "partially", "not"):
            raise ConfigError(f"{source}: status must be fully, partially or not, not {status!r}")
        return Statement(
            organisation=raw["organisation"], service=raw["service"], standard=raw["standard"],
            status=status, last_tested=raw["last_tested"], statement_prepared=raw["statement_prepared"],
            method=raw["method"], contact_email=raw["contact_email"], response_days=int(raw["response_days"]),
            enforcement=raw["enforcement"], known_issues=issues,
            not_in_scope=tuple(raw.get("not_in_scope", [])), what_we_did=tuple(raw.get("what_we_did", [])),
            other_issues=tuple(OtherIssue(**k) for k in raw.get("other_issue", [])))
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"{source}: missing or malformed field: {exc}") from exc


@lru_cache(maxsize=1)
def load_statement(path: Path | None = None) -> Statement:
    path = path or CONFIG_DIR / "accessibility.toml"
    with open(path, "rb") as f:
        return parse_statement(tomllib.load(f), path.name)
