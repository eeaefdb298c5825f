"""AWS errors as one line for a report: the operation, the error code and the message."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

# What one AWS call can raise: ClientError from AWS, BotoCoreError for credentials and
# connections, NotImplementedError from an in-process moto that lacks the call.
AWS_ERRORS: tuple[type[BaseException], ...] = (ClientError, BotoCoreError, NotImplementedError)

MAX_MESSAGE = 300


def describe_error(err: BaseException) -> str:
    """One line for an error result: the AWS error code and message, or what boto said."""
    if isinstance(err, ClientError):
        error = err.response.get("Error", {})
        operation = getattr(err, "operation_name", "")
        message = " ".join(str(error.get("Message", "")).split())
        if message.startswith("<"):
            message = "the endpoint answered with an HTML error page, not an AWS error"
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 3] + "..."
        return f"{operation}: {error.get('Code', 'Error')}: {message}".strip()
    if isinstance(err, NotImplementedError):
        # moto in-process; a real endpoint answers ClientError instead.
        return f"not implemented by this endpoint: {err}"
    return f"{type(err).__name__}: {err}"
