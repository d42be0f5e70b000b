"""Errors of the feedback store. Their messages are redacted when made: no credential of a
store URL ever reaches a page, a log or the command line through them."""

from __future__ import annotations

from lis_data.errors import LisDataError
from lis_data.feedback.redaction import redact


class FeedbackStoreUnavailable(LisDataError):
    """The feedback store cannot be reached, opened, read or written.

    The message names the store (credentials masked) and the reason: fit for the server log
    and the command line. A public page should say "temporarily unavailable" instead and keep
    the person's text so they can try again.
    """

    def __init__(self, *args: object):
        super().__init__(*(redact(a) if isinstance(a, str) else a for a in args))


class NotFound(KeyError):
    """A KeyError whose message reads as written (KeyError would quote it); `missing` when none is given."""

    missing = "not found"

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.missing


class FeedbackNotFound(LisDataError, NotFound):
    """No feedback row has that id or reference."""

    missing = "feedback not found"

    def __init__(self, *args: object):
        super().__init__(*(redact(a) if isinstance(a, str) else a for a in args))
