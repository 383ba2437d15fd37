"""Alexa's own APIs, called from a skill turn: the device's time zone and a daily reminder.

The Settings API gives the time zone set on the user's device; the Reminders API keeps a
daily reminder ("remind me every day at 8 am") and drops it again ("stop my reminder"). Both
are reached the way Alexa asks: at ``context.System.apiEndpoint``, with
``context.System.apiAccessToken`` as the bearer token, through the SDK's service clients.

This module is imported on the Lambda cold path, so it imports nothing heavy at import time:
the service client modules load on the first call that needs them, and the HTTP client is the
project's own (:mod:`skill.alexa.api_client`, the SDK's public ``ApiClient`` interface over
``http.client``), so ``requests`` is never imported.

Calls are short: Alexa gives a whole turn 8 s, so the time zone look-up gets about 1 s in
all and falls back (``None``) on any failure; the reminder calls get about 2 s and raise
:class:`PermissionMissing` or :class:`ApiUnavailable`. Each also ends by the turn's
:class:`~skill.clock.Deadline` when one is given, whichever comes first. Nothing here logs the
access token, the device id or the user id: a failure is logged by its kind only
(``"HTTP 500"``, ``"ReadTimeout"``), never by the exception's text, which can hold the URL.
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..clock import Deadline
from ..exceptions import LegSkillError
from ..progress import zone_name_or_none
from ..records import field, record

if TYPE_CHECKING:
    from ask_sdk_model import RequestEnvelope
    from ask_sdk_model.services import ApiConfiguration
    from ask_sdk_model.services.reminder_management import ReminderRequest

__all__ = [
    "REMINDERS_PERMISSION",
    "AlexaApiError",
    "ApiAccess",
    "ApiUnavailable",
    "DailyReminder",
    "PermissionMissing",
    "create_daily_reminder",
    "delete_reminder",
    "fetch_time_zone",
]

log = logging.getLogger(__name__)

#: The permission scope the user grants for reminders (ask with an AskFor directive or a card).
REMINDERS_PERMISSION = "alexa::alerts:reminders:skill:readwrite"

# Names zoneinfo loads that say nothing about where the device is: the host's own zone files.


# --- access and errors --------------------------------------------------------------------------


@record(frozen=True)
class ApiAccess:
    """What a turn needs to call Alexa's APIs for the user on this device.

    Attributes
    ----------
    endpoint : str
        ``context.System.apiEndpoint``, e.g. ``https://api.amazonalexa.com``.
    token : str
        ``context.System.apiAccessToken``; kept out of ``repr`` and never logged.
    device_id : str or None
        ``context.System.device.deviceId``; kept out of ``repr`` and never logged.
    """

    endpoint: str
    token: str = field(repr=False)
    device_id: str | None = field(default=None, repr=False)

    @classmethod
    def from_envelope(cls, envelope: RequestEnvelope) -> ApiAccess | None:
        """Read the access from a request envelope.

        Returns
        -------
        ApiAccess or None
            ``None`` when the envelope has no API endpoint or no access token.
        """
        system = getattr(getattr(envelope, "context", None), "system", None)
        endpoint = getattr(system, "api_endpoint", None)
        token = getattr(system, "api_access_token", None)
        if not endpoint or not token:
            return None
        device_id = getattr(getattr(system, "device", None), "device_id", None)
        return cls(endpoint=endpoint, token=token, device_id=device_id or None)


class AlexaApiError(LegSkillError):
    """An Alexa API call failed. Base class of this module's errors.

    Attributes
    ----------
    status : int or None
        The HTTP status Alexa answered with; ``None`` when no answer came (timeout, refused
        connection) or it could not be read.
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class PermissionMissing(AlexaApiError):
    """Alexa refused (401/403): the user has not granted :data:`REMINDERS_PERMISSION`."""


class ApiUnavailable(AlexaApiError):
    """No usable answer: a timeout, a refused connection, 429, 5xx or an unreadable body."""


# --- the HTTP client ----------------------------------------------------------------------------


def _configuration(
    access: ApiAccess, timeout: float, deadline: Deadline | None
) -> ApiConfiguration:
    """The SDK's configuration for one call: our client, ending by ``deadline`` and ``timeout``."""
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model.services import ApiConfiguration

    from .api_client import DeadlineApiClient

    return ApiConfiguration(
        serializer=DefaultSerializer(),
        api_client=DeadlineApiClient(deadline or Deadline.after(timeout), timeout),
        authorization_value=access.token,
        api_endpoint=access.endpoint,
    )


def _failure_kind(exc: BaseException) -> str:
    """Name a failure for the log without its text (which can hold the URL).

    Imports nothing, so it cannot fail while describing a failure.
    """
    seen: BaseException | None = exc
    for _ in range(8):  # the SDK wraps the client's error as context; a cycle ends here
        if seen is None:
            break
        kind = getattr(seen, "kind", None)  # api_client.ApiCallFailed: ReadTimeout, SSLError...
        if isinstance(kind, str):
            return kind
        seen = seen.__cause__ or seen.__context__
    status = _http_status(exc)
    return f"HTTP {status}" if status is not None else type(exc).__name__


def _http_status(exc: BaseException) -> int | None:
    """The status Alexa answered with, or None when the call never got an answer."""
    # A ServiceException; the SDK reports a failed transport as one with status 500 and no
    # headers, so only one with headers had an answer.
    status = getattr(exc, "status_code", None)
    if isinstance(status, int) and getattr(exc, "headers", None) is not None:
        return status
    return None


def _reminder_error(exc: Exception, action: str) -> AlexaApiError:
    """Turn a failed Reminders API call into this module's error, and log it by kind."""
    kind = _failure_kind(exc)
    status = _http_status(exc)
    if status in (401, 403):
        log.info("Reminder %s refused (%s): no reminders permission", action, kind)
        return PermissionMissing(f"reminder {action}: {kind}", status=status)
    if status is None or status == 429 or status >= 500:
        log.warning("Reminder %s failed (%s)", action, kind)
        return ApiUnavailable(f"reminder {action}: {kind}", status=status)
    log.warning("Reminder %s rejected (%s)", action, kind)
    return AlexaApiError(f"reminder {action}: {kind}", status=status)


def _expected_errors() -> tuple[type[Exception], ...]:
    from ask_sdk_core.exceptions import SerializationException
    from ask_sdk_model.services import ServiceException

    return ServiceException, SerializationException


# --- the time zone ------------------------------------------------------------------------------


def fetch_time_zone(
    access: ApiAccess, timeout: float = 1.0, deadline: Deadline | None = None
) -> str | None:
    """The time zone set on the user's device, from the Alexa Settings API.

    ``GET {endpoint}/v2/devices/{deviceId}/settings/System.timeZone``.

    Parameters
    ----------
    access : ApiAccess
        The turn's API access; without a device id nothing is asked.
    timeout : float
        The most the call may take, in seconds.
    deadline : Deadline, optional
        The turn's: the call also ends by then.

    Returns
    -------
    str or None
        A zone name zoneinfo knows (``"Pacific/Auckland"``), or ``None`` when the call fails,
        times out or answers with anything else. Never raises.
    """
    if not access.device_id:
        return None
    try:
        from ask_sdk_model.services.ups import UpsServiceClient

        client = UpsServiceClient(_configuration(access, timeout, deadline))
        answer = client.get_system_time_zone(access.device_id)
    except Exception as exc:
        log.warning("Time zone look-up failed (%s)", _failure_kind(exc))
        return None
    zone = zone_name_or_none(answer)
    if zone is None and answer is not None:
        log.warning("Time zone look-up gave no usable zone (%s)", type(answer).__name__)
    return zone


# --- the daily reminder -------------------------------------------------------------------------


@record(frozen=True)
class DailyReminder:
    """A reminder Alexa gives every day at the same local time.

    Attributes
    ----------
    hour, minute : int
        The local time of day, 0-23 and 0-59.
    time_zone : str
        The user's zone name, e.g. ``"America/New_York"``.
    locale : str
        The locale the text is in, e.g. ``"en-US"``.
    text : str
        What Alexa says when the reminder goes off.
    """

    hour: int
    minute: int
    time_zone: str
    locale: str
    text: str

    def __post_init__(self) -> None:
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError(f"no such time of day: {self.hour}:{self.minute:02}")
        if zone_name_or_none(self.time_zone) is None:
            raise ValueError(f"unknown time zone: {self.time_zone!r}")
        if not self.locale or not self.text:
            raise ValueError("a reminder needs a locale and a text")

    @property
    def rule(self) -> str:
        """The RFC 5545 recurrence rule: every day at this time."""
        return f"FREQ=DAILY;BYHOUR={self.hour};BYMINUTE={self.minute};BYSECOND=0"

    def next_time(self, now_local: datetime) -> datetime:
        """The first time the reminder is due at or after ``now_local``, as naive local time.

        ``now_local`` may be naive (already the user's wall-clock time) or aware (converted to
        :attr:`time_zone` first).
        """
        now = _wall_clock(now_local, self.time_zone)
        due = now.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        return due if due >= now else due + timedelta(days=1)


def _wall_clock(moment: datetime, zone: str) -> datetime:
    """``moment`` as naive local time in ``zone`` (a naive ``moment`` is taken as that already)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(zoneinfo.ZoneInfo(zone))
    return moment.replace(tzinfo=None)


def _reminder_request(reminder: DailyReminder, now_local: datetime) -> ReminderRequest:
    """The SDK model of the create request; see :func:`create_daily_reminder`."""
    from ask_sdk_model.services.reminder_management import (
        AlertInfo,
        PushNotification,
        PushNotificationStatus,
        Recurrence,
        ReminderRequest,
        SpokenInfo,
        SpokenText,
        Trigger,
        TriggerType,
    )

    start = reminder.next_time(now_local)
    return ReminderRequest(
        request_time=_wall_clock(now_local, reminder.time_zone).replace(microsecond=0),
        trigger=Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE,
            # Alexa wants local times without an offset, read in time_zone_id. With
            # recurrence_rules present it goes by start_date_time and ignores scheduled_time
            # (sent too, for readers of the reminder); freq/by_day are the deprecated form.
            scheduled_time=start,
            time_zone_id=reminder.time_zone,
            recurrence=Recurrence(start_date_time=start, recurrence_rules=[reminder.rule]),
        ),
        alert_info=AlertInfo(
            spoken_info=SpokenInfo(content=[SpokenText(locale=reminder.locale, text=reminder.text)])
        ),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
    )


def create_daily_reminder(
    access: ApiAccess,
    reminder: DailyReminder,
    now_local: datetime,
    timeout: float = 2.0,
    deadline: Deadline | None = None,
) -> str:
    """Create a reminder that goes off every day at ``reminder.hour:reminder.minute``.

    ``POST {endpoint}/v1/alerts/reminders``. The first one is due at the next such time at or
    after ``now_local`` (today if it is still ahead, else tomorrow).

    Parameters
    ----------
    access : ApiAccess
        The turn's API access (creating needs an in-session token).
    reminder : DailyReminder
        When, in which zone, and what Alexa says.
    now_local : datetime
        The current time: naive in the user's zone, or aware.
    timeout : float
        The most the call may take, in seconds.
    deadline : Deadline, optional
        The turn's: the call also ends by then.

    Returns
    -------
    str
        The reminder's ``alertToken``, to delete it later.

    Raises
    ------
    PermissionMissing
        The user has not granted :data:`REMINDERS_PERMISSION`.
    ApiUnavailable
        Timeout, no connection, 429, 5xx, or an answer without a token.
    AlexaApiError
        Alexa rejected the reminder otherwise (another 4xx).
    """
    try:
        from ask_sdk_model.services.reminder_management import ReminderManagementServiceClient

        client = ReminderManagementServiceClient(_configuration(access, timeout, deadline))
        answer = client.create_reminder(_reminder_request(reminder, now_local))
    except _expected_errors() as exc:
        raise _reminder_error(exc, "create") from None  # its text can hold the URL
    token = getattr(answer, "alert_token", None)
    if not isinstance(token, str) or not token:
        log.warning("Reminder create answered without an alert token")
        raise ApiUnavailable("reminder create: no alert token in the answer", status=None)
    return token


def delete_reminder(
    access: ApiAccess, alert_token: str, timeout: float = 2.0, deadline: Deadline | None = None
) -> bool:
    """Delete a reminder this skill created.

    ``DELETE {endpoint}/v1/alerts/reminders/{alertToken}``.

    Parameters
    ----------
    access : ApiAccess
        The turn's API access.
    alert_token : str
        The token :func:`create_daily_reminder` returned.
    timeout : float
        The most the call may take, in seconds.
    deadline : Deadline, optional
        The turn's: the call also ends by then.

    Returns
    -------
    bool
        ``True`` when it was deleted, ``False`` when Alexa no longer had it (404).

    Raises
    ------
    PermissionMissing
        The user has withdrawn :data:`REMINDERS_PERMISSION`.
    ApiUnavailable
        Timeout, no connection, 429, 5xx or an unreadable answer.
    AlexaApiError
        Alexa refused otherwise (another 4xx).
    """
    try:
        from ask_sdk_model.services.reminder_management import ReminderManagementServiceClient

        client = ReminderManagementServiceClient(_configuration(access, timeout, deadline))
        client.delete_reminder(alert_token)
    except _expected_errors() as exc:
        if _http_status(exc) == 404:
            return False
        raise _reminder_error(exc, "delete") from None  # its text can hold the alert token
    return True
