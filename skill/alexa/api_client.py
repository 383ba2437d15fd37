"""The HTTP client the SDK's service clients call Alexa's APIs through, inside a turn's deadline.

The ASK SDK's service clients (``UpsServiceClient``, ``ReminderManagementServiceClient``) build
an ``ApiClientRequest`` (method, url, headers, body) and hand it to whatever implements the
public ``ApiClient`` interface's one method, ``invoke(request) -> ApiClientResponse``; the
service client itself turns the status into a result or a ``ServiceException``. The interface is
``ask_sdk_model.services.ApiClient`` in the ``ask-sdk-model`` this project pins (the same
contract that ``ask-sdk-model-runtime`` publishes as ``ask_sdk_model_runtime.ApiClient``,
documented in alexa/alexa-skills-kit-sdk-for-python,
``docs/en/models_runtime/ask_sdk_model_runtime.rst``): "The ApiClient is expected to resolve in
the case an API returns a non-200 HTTP status code. The responsibility of translating a
particular response code to an error lies with the caller."

:class:`DeadlineApiClient` implements it with the standard library's ``http.client``, instead of
the SDK's ``DefaultApiClient`` (``requests``, no timeout at all). Two reasons:

- a deadline: the whole call (connect and TLS handshake, sending, each read) takes at most the
  smaller of its own timeout and what is left of the turn's :class:`~skill.clock.Deadline`;
- the first answer after a cold start: ``requests`` (with urllib3, idna, charset detection)
  costs tens of milliseconds to import, and a real device's first turn asks the Settings API.

As the SDK's client does, it refuses any URL that is not ``https``, joins repeated request
headers with ``", "``, and sends a body the service client serialised as JSON when the request's
``Content-type`` says JSON. It trusts the certificates ``requests`` would: the file named by
``REQUESTS_CA_BUNDLE`` or ``CURL_CA_BUNDLE`` when set, else certifi's bundle (installed with the
SDK), else the system's.
"""

from __future__ import annotations

import functools
import http.client
import json
import os
import ssl
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ask_sdk_model.services import ApiClient, ApiClientResponse

from ..clock import Deadline
from ..exceptions import LegSkillError

if TYPE_CHECKING:
    from ask_sdk_model.services import ApiClientRequest

__all__ = ["ApiCallFailed", "DeadlineApiClient"]

# The settings requests reads for a CA bundle (requests.utils / sessions, ``trust_env``).
_CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
_USER_AGENT = "leg-skill (alexa-api)"


class ApiCallFailed(LegSkillError):
    """A call got no answer; the SDK's service client wraps it in a ``ServiceException``.

    Attributes
    ----------
    kind : str
        What went wrong, for logs (never the URL, which holds the device id or alert token):
        ``ConnectTimeout``, ``ReadTimeout``, ``DeadlineSpent``, ``ConnectionError``,
        ``SSLError``, ``NotHttps``, ``InvalidMethod``.
    """

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


@functools.lru_cache(maxsize=4)
def _tls_context(ca_file: str | None) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=ca_file)


def _ca_file() -> str | None:
    for name in _CA_BUNDLE_VARIABLES:
        value = os.environ.get(name)
        if value:
            return value
    try:
        import certifi
    except ImportError:  # pragma: no cover - certifi comes with the SDK's requests
        return None
    where: str = certifi.where()
    return where


def _body(request: ApiClientRequest, headers: dict[str, str]) -> bytes | None:
    """The body as the SDK's ``DefaultApiClient`` sends it: JSON when the type says so."""
    if not request.body:
        return None
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
    text = (
        json.dumps(request.body)
        if content_type is not None and "json" in content_type
        else str(request.body)
    )
    return text.encode("utf-8")


class DeadlineApiClient(ApiClient):
    """An ``ApiClient`` whose every call ends by a deadline; see the module docstring.

    Parameters
    ----------
    deadline : Deadline
        The turn's; a call never outlasts it.
    timeout : float
        The most one call may take in all, in seconds, when the deadline is further away.

    Notes
    -----
    One connection per call, closed after it (a turn makes one or two calls). Each step
    (connecting with the TLS handshake, sending, reading the status and headers, reading the
    body) waits at most what is left of the call's time; a server that keeps sending a byte
    just before each step's timeout could stretch the body's read, which Alexa's APIs, answering
    a few hundred bytes at once, do not do.
    """

    def __init__(self, deadline: Deadline, timeout: float):
        self.deadline = deadline
        self.timeout = timeout

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        """Send ``request`` and return Alexa's answer, whatever its status.

        Parameters
        ----------
        request : ApiClientRequest
            From the SDK's service client: ``method``, ``url``, ``headers`` (a list of
            name-value tuples), ``body`` (already serialised to JSON-ready values, or ``None``).

        Returns
        -------
        ApiClientResponse
            ``status_code``, ``headers`` (a list of tuples) and ``body`` (text).

        Raises
        ------
        ApiCallFailed
            No answer within the time (``ConnectTimeout``, ``ReadTimeout``, ``DeadlineSpent``),
            no connection (``ConnectionError``, ``SSLError``), or a request the SDK's client
            would refuse too (``NotHttps``, ``InvalidMethod``).
        """
        url = urlsplit(request.url or "")
        if url.scheme != "https" or not url.hostname:
            raise ApiCallFailed("NotHttps")  # as the SDK: "non-HTTPS endpoints are not allowed"
        method = (request.method or "").upper()
        if method not in ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"):
            raise ApiCallFailed("InvalidMethod")
        headers: dict[str, str] = {}
        for name, value in request.headers or []:
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        headers.setdefault("User-Agent", _USER_AGENT)
        body = _body(request, headers)
        # This call's own deadline: its timeout, or the turn's deadline when that comes first.
        ends = Deadline.after(self.deadline.cap(self.timeout), self.deadline.monotonic)
        if ends.spent:
            raise ApiCallFailed("DeadlineSpent")
        path = url.path or "/"
        if url.query:
            path += "?" + url.query
        connection = http.client.HTTPSConnection(
            url.hostname,
            url.port or 443,
            timeout=ends.remaining(),
            context=_tls_context(_ca_file()),
        )

        def left_for_this_step() -> None:
            """Each step waits only for what is left of the deadline (never 0: that would
            make the socket non-blocking)."""
            if connection.sock is not None:
                connection.sock.settimeout(ends.remaining() or 0.001)

        step = "connect"
        try:
            connection.connect()
            step = "read"
            left_for_this_step()
            connection.request(method, path, body=body, headers=headers)
            left_for_this_step()
            answer = connection.getresponse()
            left_for_this_step()
            payload = answer.read()
            return ApiClientResponse(
                headers=list(answer.getheaders()),
                status_code=answer.status,
                body=payload.decode("utf-8", errors="replace"),
            )
        except TimeoutError:
            raise ApiCallFailed("ConnectTimeout" if step == "connect" else "ReadTimeout") from None
        except ssl.SSLError:
            raise ApiCallFailed("SSLError") from None
        except (OSError, http.client.HTTPException):
            raise ApiCallFailed("ConnectionError") from None
        finally:
            connection.close()
