"""Errors raised by the data layer. Each message names the input and the reason."""


class LisDataError(Exception):
    """Base class for every error the data layer raises on purpose."""


class ConfigError(LisDataError):
    """The area or catalogue configuration is wrong."""


class SourceError(LisDataError):
    """An upstream file is malformed. The message names the file, the line and the reason."""

    def __init__(self, path, line: int | None, reason: str):
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


class StoreError(LisDataError):
    """The indicator store or its extract cannot be used."""
