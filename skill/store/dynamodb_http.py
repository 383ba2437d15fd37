"""A small DynamoDB client for the Lambda cold path: JSON over HTTPS, signed with SigV4.

Why not botocore on the hot path: importing botocore and creating a DynamoDB client costs about
115 ms of a cold start on this machine (module imports, then the service model, endpoint rules
and retry config read from disk), and every first answer after a cold start pays it. DynamoDB's
wire protocol is plain JSON (``POST /`` with ``X-Amz-Target``), the parameters the store passes
are already that JSON, and the six operations it calls need nothing botocore adds beyond
signing, retries and error codes, which are here.

It behaves like the botocore client it replaces, for the store's purposes:

- methods named as botocore's (``update_item(**params)``) returning the parsed JSON response;
- errors raise :class:`DynamoDbHttpError` whose ``response`` has botocore's shape
  (``{"Error": {"Code", "Message"}, "ResponseMetadata": ..., "Item"?}``);
- botocore's "standard" retry mode: throttling codes, 5xx, connection errors and CRC32
  mismatches are retried with jittered exponential backoff, up to ``max_attempts`` in all;
- separate connect and read timeouts; keep-alive connections, one per thread;
- a turn's :class:`~skill.clock.Deadline` (``call(..., deadline=)``): no attempt, read or
  back-off outlasts it, so a hung endpoint cannot hold a turn past its time.

Credentials come from the environment (Lambda always sets them); anywhere else (a profile, SSO,
a container role, SnapStart) botocore's credential chain is used, imported only then.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeAlias
from urllib.parse import urlsplit

from ..clock import Deadline, utc_now
from ..exceptions import LegSkillError
from ..records import record

__all__ = ["Credentials", "DynamoDbHttpClient", "DynamoDbHttpError", "Response", "sign_request"]

# A parsed DynamoDB JSON response, as botocore's client methods return it.
Response: TypeAlias = dict[str, Any]

_SERVICE = "dynamodb"
_TARGET_PREFIX = "DynamoDB_20120810."
_CONTENT_TYPE = "application/x-amz-json-1.0"
_USER_AGENT = "leg-skill (dynamodb-http)"
# The codes botocore's standard retry mode treats as throttling or transient (botocore/retries/
# standard.py); DynamoDB uses the first two, the rest cost nothing to recognise.
_RETRYABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "TransactionInProgressException",
        "RequestTimeout",
        "RequestTimeoutException",
        "PriorRequestNotComplete",
        "InternalServerError",
        "ServiceUnavailable",
    }
)
_RETRYABLE_STATUS = frozenset({500, 502, 503, 504})
_BACKOFF_CAP_SECONDS = 20.0
# A connection the server or a frozen Lambda dropped shows up as one of these on first use;
# that request never reached DynamoDB, so it is sent again at once on a new connection.
_STALE_CONNECTION_ERRORS = (
    http.client.RemoteDisconnected,
    ConnectionResetError,
    BrokenPipeError,
    ConnectionAbortedError,
)


@record(frozen=True)
class Credentials:
    access_key: str
    secret_key: str
    token: str | None = None


class DynamoDbHttpError(LegSkillError):
    """DynamoDB refused a request, or it could not be sent; ``response`` is botocore-shaped.

    Parameters
    ----------
    code : str
        DynamoDB's error code (``ThrottlingException``, ``ConditionalCheckFailedException``)
        or, for a request that got no usable answer, botocore's name for that failure
        (``ReadTimeoutError``, ``EndpointConnectionError``, ``CRC32CheckFailed``,
        ``NoCredentialsError``, ``NoRegionError``, ``HTTP<status>``).
    message : str
        DynamoDB's message, or a short description; never the request or its credentials.
    status : int or None
        The HTTP status of the answer; ``None`` when there was none.
    extra : mapping, optional
        Further top-level keys of :attr:`response`, e.g. the ``Item`` a failed condition
        returned.

    Attributes
    ----------
    response : dict
        ``{"Error": {"Code", "Message"}, "ResponseMetadata": {"HTTPStatusCode"}, **extra}``,
        the shape of botocore's ``ClientError.response``, so code written for a botocore client
        reads both.
    """

    def __init__(
        self,
        code: str,
        message: str,
        status: int | None = None,
        extra: Mapping[str, Any] | None = None,
    ):
        super().__init__(f"{code}: {message}" if message else code)
        self.response: dict[str, Any] = {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
            **(extra or {}),
        }

    @property
    def code(self) -> str:
        """The error code, ``response["Error"]["Code"]``."""
        code: str = self.response["Error"]["Code"]
        return code


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def sign_request(
    headers: dict[str, str], body: bytes, credentials: Credentials, region: str, now: datetime
) -> dict[str, str]:
    """Headers with AWS Signature Version 4 added, for ``POST /`` to DynamoDB.

    ``headers`` must hold ``host``; every header given is signed (so pass none that a proxy
    may rewrite, such as a user agent).
    """
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    signed = {name.lower(): " ".join(str(value).split()) for name, value in headers.items()}
    signed["x-amz-date"] = amz_date
    if credentials.token:
        signed["x-amz-security-token"] = credentials.token
    names = sorted(signed)
    signed_headers = ";".join(names)
    canonical_request = "\n".join(
        [
            "POST",
            "/",
            "",
            "".join(f"{name}:{signed[name]}\n" for name in names),
            signed_headers,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{amz_date[:8]}/{region}/{_SERVICE}/aws4_request"
    string_to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            amz_date,
            scope,
            hashlib.sha256(canonical_request.encode("utf-8")).hexdigest(),
        ]
    )
    key = _hmac(("AWS4" + credentials.secret_key).encode("utf-8"), amz_date[:8])
    for part in (region, _SERVICE, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    result = dict(headers)
    result["X-Amz-Date"] = amz_date
    if credentials.token:
        result["X-Amz-Security-Token"] = credentials.token
    result["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope}, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )
    return result


def _environment_credentials() -> Credentials | None:
    access_key = os.environ.get("AWS_ACCESS_KEY_ID")
    secret_key = os.environ.get("AWS_SECRET_ACCESS_KEY")
    if access_key and secret_key:
        return Credentials(access_key, secret_key, os.environ.get("AWS_SESSION_TOKEN") or None)
    return None


def _botocore_credentials() -> Callable[[], Credentials]:
    """botocore's whole credential chain (profiles, SSO, container and instance roles)."""
    import botocore.session

    resolved = botocore.session.Session().get_credentials()
    if resolved is None:
        raise DynamoDbHttpError("NoCredentialsError", "no AWS credentials found")

    def current() -> Credentials:
        # Refreshable credentials renew themselves here when they are about to expire.
        frozen = resolved.get_frozen_credentials()
        return Credentials(frozen.access_key, frozen.secret_key, frozen.token)

    return current


def _default_endpoint(region: str) -> str:
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://dynamodb.{region}.{suffix}"


class DynamoDbHttpClient:
    """The DynamoDB operations the store uses, as botocore names them.

    Parameters
    ----------
    region:
        The AWS region (signing scope and default endpoint).
    endpoint_url:
        Where to send requests; ``https://dynamodb.<region>.amazonaws.com`` when ``None``.
    credentials:
        A function returning the credentials for each request.
    connect_timeout, read_timeout:
        Seconds, as botocore's ``Config``.
    max_attempts:
        Attempts in all, the first included (botocore's ``total_max_attempts``).
    """

    def __init__(
        self,
        region: str,
        credentials: Callable[[], Credentials],
        *,
        endpoint_url: str | None = None,
        connect_timeout: float = 1.0,
        read_timeout: float = 2.0,
        max_attempts: int = 3,
    ):
        self.region = region
        self.endpoint_url = endpoint_url or _default_endpoint(region)
        parts = urlsplit(self.endpoint_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) endpoint: {self.endpoint_url!r}")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        default_port = 443 if self._https else 80
        self._host_header = (
            parts.netloc if parts.port not in (None, default_port) else parts.hostname
        )
        self._credentials = credentials
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_attempts = max(1, max_attempts)
        self._local = threading.local()
        self._connections: list[http.client.HTTPConnection] = []
        self._connections_lock = threading.Lock()
        # Called as observer(operation, params) before each call (not each retry), as
        # botocore's "before-call" event: for counting calls in tests and metrics.
        self.observers: list[Callable[[str, Mapping[str, Any]], None]] = []

    @classmethod
    def from_environment(cls, **options: Any) -> DynamoDbHttpClient:
        """Region, endpoint and credentials as botocore would find them in the environment.

        Raises
        ------
        DynamoDbHttpError
            With code ``NoRegionError`` or ``NoCredentialsError``.
        """
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        if not region:
            raise DynamoDbHttpError("NoRegionError", "no AWS region set")
        endpoint = None
        if os.environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() != "true":
            endpoint = (
                os.environ.get("AWS_ENDPOINT_URL_DYNAMODB")
                or os.environ.get("AWS_ENDPOINT_URL")
                or None
            )
        fixed = _environment_credentials()
        credentials = (lambda: fixed) if fixed is not None else _botocore_credentials()
        return cls(region, credentials, endpoint_url=endpoint, **options)

    # -- operations (the six the store calls, as botocore names them) -------------------------

    def batch_get_item(self, **params: Any) -> Response:
        return self.call("BatchGetItem", params)

    def batch_write_item(self, **params: Any) -> Response:
        return self.call("BatchWriteItem", params)

    def get_item(self, **params: Any) -> Response:
        return self.call("GetItem", params)

    def update_item(self, **params: Any) -> Response:
        return self.call("UpdateItem", params)

    def delete_item(self, **params: Any) -> Response:
        return self.call("DeleteItem", params)

    def query(self, **params: Any) -> Response:
        return self.call("Query", params)

    # -- the wire -------------------------------------------------------------------------------

    def call(
        self, operation: str, params: Mapping[str, Any], deadline: Deadline | None = None
    ) -> Response:
        """Send one operation with retries.

        Parameters
        ----------
        operation : str
            DynamoDB's name for it (``"UpdateItem"``).
        params : mapping
            The request, in DynamoDB's JSON shape.
        deadline : Deadline, optional
            When to give up: each attempt's connect and read timeouts are cut to what is left,
            and no retry (or back-off) starts that would end after it.

        Returns
        -------
        dict
            The parsed response, with ``ResponseMetadata``.

        Raises
        ------
        DynamoDbHttpError
            DynamoDB's error; the transport's (``ReadTimeoutError``...); or
            ``DeadlineExceeded`` when the deadline ran out before any attempt had its full
            timeouts (with one that had, that attempt's error is raised instead, so a hung
            endpoint is still reported as one).
        """
        for observer in self.observers:
            observer(operation, params)
        body = json.dumps(params, separators=(",", ":")).encode("utf-8")
        attempt = 0
        full_failure: DynamoDbHttpError | None = None  # from an attempt the deadline did not cut
        while True:
            attempt += 1
            connect, read = self.connect_timeout, self.read_timeout
            if deadline is not None:
                connect, read = deadline.cap(connect), deadline.cap(read)
                if connect <= 0 or read <= 0:
                    raise _out_of_time(full_failure, attempt - 1)
            cut = (connect, read) != (self.connect_timeout, self.read_timeout)
            try:
                response = self._send_once(operation, body, connect, read)
                response.setdefault("ResponseMetadata", {})["RetryAttempts"] = attempt - 1
                return response
            except DynamoDbHttpError as error:
                if cut and _timed_out(error):
                    raise _out_of_time(full_failure, attempt) from None
                if attempt >= self.max_attempts or not _retryable(error):
                    error.response["ResponseMetadata"]["RetryAttempts"] = attempt - 1
                    raise
                full_failure = error
            # Standard mode's backoff: a random share of 2**(attempt - 1) seconds, capped.
            import random  # here: only a retry needs it (1 ms of a cold start)

            pause = random.random() * min(_BACKOFF_CAP_SECONDS, 2.0 ** (attempt - 1))
            if deadline is not None and pause >= deadline.remaining():
                raise _out_of_time(full_failure, attempt)
            time.sleep(pause)

    def _send_once(
        self, operation: str, body: bytes, connect_timeout: float, read_timeout: float
    ) -> Response:
        headers = sign_request(
            {
                "Host": self._host_header,
                "Content-Type": _CONTENT_TYPE,
                "X-Amz-Target": _TARGET_PREFIX + operation,
            },
            body,
            self._credentials(),
            self.region,
            utc_now(),
        )
        headers["User-Agent"] = _USER_AGENT
        headers["Content-Length"] = str(len(body))
        status, response_headers, payload = self._exchange(
            headers, body, connect_timeout, read_timeout
        )
        checksum = response_headers.get("x-amz-crc32")
        if (
            checksum is not None
            and checksum.isdigit()
            and int(checksum) != zlib.crc32(payload) & 0xFFFFFFFF
        ):
            raise DynamoDbHttpError("CRC32CheckFailed", "response checksum mismatch", status)
        try:
            parsed = json.loads(payload) if payload else {}
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise DynamoDbHttpError(
                f"HTTP{status}" if status >= 300 else "UnparseableResponse",
                "response is not a JSON object",
                status,
            )
        if status >= 300:
            code = str(parsed.get("__type", f"HTTP{status}")).rpartition("#")[2]
            message = str(parsed.get("message") or parsed.get("Message") or "")
            extra = {"Item": parsed["Item"]} if isinstance(parsed.get("Item"), dict) else None
            raise DynamoDbHttpError(code or f"HTTP{status}", message, status, extra)
        parsed["ResponseMetadata"] = {
            "HTTPStatusCode": status,
            "RequestId": response_headers.get("x-amzn-requestid"),
        }
        return parsed

    def _exchange(
        self, headers: dict[str, str], body: bytes, connect_timeout: float, read_timeout: float
    ) -> tuple[int, dict[str, str], bytes]:
        """POST once; a dropped keep-alive connection is replaced and the request resent."""
        for fresh in (False, True):
            connection, reused = self._connection(fresh, connect_timeout)
            try:
                connection.sock.settimeout(read_timeout)  # connected: from now on, reads
                connection.request("POST", "/", body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                return response.status, {k.lower(): v for k, v in response.getheaders()}, payload
            except _STALE_CONNECTION_ERRORS as exc:
                self._drop(connection)
                if reused and not fresh:
                    continue
                raise DynamoDbHttpError("ConnectionClosedError", type(exc).__name__) from None
            except TimeoutError:  # socket.timeout; connecting is timed in _connection
                self._drop(connection)
                raise DynamoDbHttpError("ReadTimeoutError", "read timed out") from None
            except (OSError, http.client.HTTPException) as exc:
                self._drop(connection)
                raise DynamoDbHttpError("EndpointConnectionError", type(exc).__name__) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _connection(
        self, fresh: bool, connect_timeout: float
    ) -> tuple[http.client.HTTPConnection, bool]:
        connection = getattr(self._local, "connection", None)
        # A connection the server asked to close (``Connection: close``) has no socket left.
        if connection is not None and not fresh and connection.sock is not None:
            return connection, True
        if connection is not None:
            self._drop(connection)
        if self._https:
            import ssl  # only when talking to real AWS; DynamoDB Local is plain HTTP

            connection = http.client.HTTPSConnection(
                self._host,
                self._port,
                timeout=connect_timeout,
                context=ssl.create_default_context(),
            )
        else:
            connection = http.client.HTTPConnection(self._host, self._port, timeout=connect_timeout)
        try:
            connection.connect()
        except TimeoutError:
            connection.close()
            raise DynamoDbHttpError("ConnectTimeoutError", "connect timed out") from None
        except OSError as exc:
            connection.close()
            raise DynamoDbHttpError("EndpointConnectionError", type(exc).__name__) from None
        self._local.connection = connection
        with self._connections_lock:
            self._connections.append(connection)
        return connection, False

    def _drop(self, connection: http.client.HTTPConnection) -> None:
        connection.close()
        if getattr(self._local, "connection", None) is connection:
            self._local.connection = None
        with self._connections_lock:
            if connection in self._connections:
                self._connections.remove(connection)

    def close(self) -> None:
        """Close every connection this client opened (in any thread)."""
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._local = threading.local()


def _retryable(error: DynamoDbHttpError) -> bool:
    status = error.response["ResponseMetadata"].get("HTTPStatusCode")
    return (
        error.code in _RETRYABLE_CODES
        or status in _RETRYABLE_STATUS
        or error.code
        in (
            "ConnectionClosedError",
            "ReadTimeoutError",
            "ConnectTimeoutError",
            "EndpointConnectionError",
            "CRC32CheckFailed",
        )
    )


def _timed_out(error: DynamoDbHttpError) -> bool:
    return error.code in ("ReadTimeoutError", "ConnectTimeoutError")


def _out_of_time(full_failure: DynamoDbHttpError | None, retries: int) -> DynamoDbHttpError:
    """The error for a call whose deadline ran out: the last attempt that had its full time
    failed with ``full_failure`` (reported as it was), or none did (``DeadlineExceeded``)."""
    error = full_failure or DynamoDbHttpError("DeadlineExceeded", "the turn's time ran out")
    error.response["ResponseMetadata"]["RetryAttempts"] = max(0, retries - 1)
    return error
