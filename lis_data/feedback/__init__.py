"""The sounding-board feedback store (data layer only; no streamlit here).

Typical use from a page::

    from lis_data import feedback

    store = feedback.open_store(feedback.store_url_from_env())   # once per process
    result = feedback.validate_submission(form_values, priorities=ids, places=places)
    if feedback.is_spam(result):
        ...                                  # pretend success, store nothing
    elif isinstance(result, dict):
        ...                                  # show result[field] beside each field
    else:
        receipt = store.append(result)       # may raise FeedbackStoreUnavailable
        ...                                  # show receipt.reference

    store.erase("SB-7F3K2Q", scope="personal", actor="A. Staff", reason="request by email")
    feedback.redact(text)                    # any URL / message with its credentials masked
"""

from lis_data.feedback.store import (
    ENV_VAR,
    FEEDBACK_COLUMNS,
    LIST_COLUMNS,
    PUBLIC_COLUMNS,
    FeedbackFilter,
    FeedbackStore,
    PERSONAL_COLUMNS,
    ErasureResult,
    Receipt,
    default_duckdb_path,
    default_sqlite_path,
    reference_for,
    store_url_from_env,
)
from lis_data.feedback.errors import FeedbackNotFound, FeedbackStoreUnavailable
from lis_data.feedback.redaction import redact, redact_text
from lis_data.feedback.cells import spreadsheet_safe
from lis_data.feedback.opening import open_store
from lis_data.feedback.validation import (
    RESPONDENT_TYPES,
    SPAM_KEY,
    Submission,
    area_places,
    is_spam,
    new_submission_key,
    normalise_workshop_code,
    validate_submission,
)

__all__ = [
    "ENV_VAR",
    "FEEDBACK_COLUMNS",
    "LIST_COLUMNS",
    "PUBLIC_COLUMNS",
    "RESPONDENT_TYPES",
    "SPAM_KEY",
    "FeedbackFilter",
    "FeedbackNotFound",
    "FeedbackStore",
    "FeedbackStoreUnavailable",
    "ErasureResult",
    "PERSONAL_COLUMNS",
    "Receipt",
    "Submission",
    "area_places",
    "default_duckdb_path",
    "default_sqlite_path",
    "is_spam",
    "new_submission_key",
    "normalise_workshop_code",
    "open_store",
    "redact",
    "redact_text",
    "reference_for",
    "spreadsheet_safe",
    "store_url_from_env",
    "validate_submission",
]
