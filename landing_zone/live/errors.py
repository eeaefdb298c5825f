"""AWS errors as one line for a report: the operation, the error code and the message.

The line is `shown`: an error message is live text (it can quote a name, or a proxy's page).
"""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from .shown import shown

# What one AWS call can raise: ClientError from AWS; BotoCoreError for credentials,
# connections (EndpointConnectionError, ConnectionClosedError) and timeouts
# (ConnectTimeoutError, ReadTimeoutError); ResponseParserError (not a BotoCoreError) for an
# answer that is not AWS's XML or JSON, such as a proxy's HTML error page; NotImplementedError
# from an in-process moto that lacks the call.
AWS_ERRORS: tuple[type[BaseException], ...] = (
    ClientError,
    BotoCoreError,
    ResponseParserError,
    NotImplementedError,
)

MAX_MESSAGE = 300
HTML_PAGE = "the endpoint answered with an HTML error page, not an AWS error"
NOT_AWS = "the endpoint's answer is neither AWS's XML nor its JSON (a proxy's error page?)"


def describe_error(err: BaseException) -> str:
    """One line for an error result: the AWS error code and message, or what boto said."""
    if isinstance(err, ClientError):
        error = err.response.get("Error", {})
        operation = getattr(err, "operation_name", "")
        message = str(error.get("Message", ""))
        if message.lstrip().startswith("<"):
            message = HTML_PAGE
        return f"{shown(operation)}: {shown(error.get('Code', 'Error'))}: {_short(message)}".strip()
    if isinstance(err, ResponseParserError):
        # Its message quotes the whole body: the page says nothing AWS did.
        return f"{type(err).__name__}: {NOT_AWS}"
    if isinstance(err, NotImplementedError):
        # moto in-process; a real endpoint answers ClientError instead.
        return f"not implemented by this endpoint: {_short(str(err))}"
    return f"{type(err).__name__}: {_short(str(err))}"


def _short(message: str) -> str:
    return shown(" ".join(message.split()), MAX_MESSAGE)
