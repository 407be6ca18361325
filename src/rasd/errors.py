"""Every error rasd raises: a stable code, and a one-line message that names the input and says what to do.

Library code raises these; only the CLI prints them and chooses exit codes. Codes never change meaning, so
scripts can branch on them.
"""

from __future__ import annotations


class RasdError(Exception):
    """Base of all rasd errors. ``code`` is stable; ``str(err)`` is one line for a human."""

    code = "RASD000"
    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")
        self.message = message

    def __str__(self) -> str:
        return f"{self.code} {self.args[0]}"


class InputError(RasdError):
    """The input cannot be read as asked (missing file, unknown format)."""

    code = "RASD100"
    exit_code = 2


class InputNotFoundError(InputError):
    code = "RASD101"


class UnknownFormatError(InputError):
    code = "RASD102"


class DecodeError(InputError):
    """Binary or undecodable bytes: not UTF-8, Windows-1256 or ISO-8859-6 text."""

    code = "RASD103"


class RecordError(InputError):
    """One record of a multi-record input (a JSONL line, a WARC record, a feed entry) is bad."""

    code = "RASD104"


class EmptyInputError(InputError):
    """A file or record holds no text at all (0 bytes, or only whitespace/markup): nothing to extract."""

    code = "RASD105"


class InputTooLargeError(InputError):
    """A single document is over the size limit (``max_bytes``): split it, or raise the limit."""

    code = "RASD106"


class ResourceError(RasdError):
    """Package data (gazetteer, lexicons, models) is missing or corrupt: reinstall or rebuild it."""

    code = "RASD200"
    exit_code = 3


class PipelineError(RasdError):
    """A stage is missing what it needs, or the pipeline is misconfigured."""

    code = "RASD300"
    exit_code = 3


class DocumentTooComplexError(PipelineError):
    """Extracting one document went over its effort budget (``rasd.budget``): it is reported and the run goes
    on; split the document or raise the budget (``--doc-seconds``)."""

    code = "RASD301"


class TooManyMentionsError(DocumentTooComplexError):
    """One document holds more mentions than its budget (``--doc-mentions``): refused before they are built,
    so its memory stays bounded; reported like RASD301 and the run goes on."""

    code = "RASD302"


class StoreError(RasdError):
    """The database cannot be opened, migrated or written."""

    code = "RASD400"
    exit_code = 4


class StoreUnavailableError(StoreError):
    """The database cannot be reached at all (cannot open the file, it was deleted, not a regular file)."""

    code = "RASD401"


class StoreFullError(StoreError):
    """The disk (or the database's size limit) is full; the write was rolled back, nothing committed lost."""

    code = "RASD402"


class StoreCorruptError(StoreError):
    """The file is damaged or is not a rasd database."""

    code = "RASD403"


class StoreReadOnlyError(StoreError):
    """The database (or its folder) cannot be written: permissions or a read-only mount."""

    code = "RASD404"


class StoreNotFoundError(StoreError):
    """A read command (query, export, serve) names a database that does not exist: never created by reading."""

    code = "RASD405"


# store errors that are no document's fault (the database gone, full, damaged or read-only): an ingest stops
# with the error instead of failing every remaining document alike, the web app answers 503
STORE_DOWN = (StoreFullError, StoreUnavailableError, StoreReadOnlyError, StoreCorruptError)


class EvalError(RasdError):
    """A gold or prediction file is malformed."""

    code = "RASD500"
    exit_code = 2


class EngineError(RasdError):
    """A distributed engine could not start or lost work it cannot recover."""

    code = "RASD600"
    exit_code = 5


class OutputError(RasdError):
    """An output file cannot be written (missing folder, no permission, a folder in its place)."""

    code = "RASD800"
    exit_code = 2


class ServeError(RasdError):
    code = "RASD700"
    exit_code = 6
