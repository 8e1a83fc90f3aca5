"""Every error the checker can explain, and the HTTP status each one means."""


class CheckerError(Exception):
    """An error with a message a person can act on, naming the field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(CheckerError):
    """The request is malformed: not JSON, a missing field, a wrong type."""


class InvalidValue(CheckerError):
    """The request is well formed but a value is wrong."""


class UnknownProcedure(InvalidValue):
    """The procedure is not in the knowledge; the message names the known ones."""


class NotFound(CheckerError):
    """The thing asked for (an ingredient, a procedure page) does not exist."""


class LabelTooLong(CheckerError):
    """The label is longer than any real label."""


class ImageTooLarge(CheckerError):
    """A label photo is bigger (in bytes or pixels) than the limit."""


class FileTooLarge(CheckerError):
    """An uploaded file (a shelf's CSV) is bigger than the limit."""


class ImageUnreadable(CheckerError):
    """The upload is not an image, or no text could be read in it."""


class OcrUnavailable(CheckerError):
    """tesseract is not installed on this server."""


class QueryRefused(CheckerError):
    """A SPARQL request the endpoint will not run: an update, SERVICE, FROM, a dataset to fetch."""


class QueryTooLong(CheckerError):
    """A SPARQL query longer than SPARQL_MAX_QUERY_CHARS."""


class QueryTimeout(CheckerError):
    """A SPARQL query that ran past SPARQL_TIME_LIMIT_MS and was stopped."""


class QueryOutOfMemory(CheckerError):
    """A SPARQL query that needed more than SPARQL_MEMORY_LIMIT_MB and was stopped."""


class NotAcceptable(CheckerError):
    """No format the client accepts can carry this answer."""


class UnsupportedMediaType(CheckerError):
    """A request body of a type the route does not read."""


class StoreUnavailable(CheckerError):
    """The external SPARQL store (SPARQL_STORE_URL) did not answer, or answered with an error."""


class KnowledgeInvalid(Exception):
    """The knowledge files break the shapes or the invariants: the app must not start."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("The knowledge is invalid:\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems


STATUS_BY_ERROR: dict[type[CheckerError], int] = {
    InvalidInput: 400,
    InvalidValue: 422,
    UnknownProcedure: 422,
    NotFound: 404,
    LabelTooLong: 413,
    ImageTooLarge: 413,
    FileTooLarge: 413,
    ImageUnreadable: 415,
    OcrUnavailable: 503,
    QueryRefused: 400,
    QueryTooLong: 413,
    QueryTimeout: 503,  # as Fuseki answers a query that ran out of time
    QueryOutOfMemory: 503,  # stopped like a timeout: the service, not the query's text, refused
    NotAcceptable: 406,
    UnsupportedMediaType: 415,
    StoreUnavailable: 502,  # a gateway's word: the server behind us failed
}


def status_for(error: CheckerError) -> int:
    """The HTTP status of an error: its own class's, else its nearest ancestor's."""
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400
