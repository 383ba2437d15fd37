"""skill.alexa.services against a local Alexa API over real HTTPS (tests/alexa_api.py).

Nothing is patched: the SDK's service clients and ``DefaultApiClient`` make real requests to a
server on a loopback port, which records them and can fail, stall or refuse on demand.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from alexa_api import API_TOKEN, DEVICE_ID, LocalAlexaApi
from ask_sdk_core.serialize import DefaultSerializer
from dynamodb_local import free_port

from skill.alexa.services import (
    REMINDERS_PERMISSION,
    AlexaApiError,
    ApiAccess,
    ApiUnavailable,
    DailyReminder,
    PermissionMissing,
    create_daily_reminder,
    delete_reminder,
    fetch_time_zone,
)
from skill.records import replace

ZONE = "Pacific/Auckland"
EIGHT_AM = DailyReminder(
    hour=8, minute=0, time_zone=ZONE, locale="en-GB", text="Time for your five leg exercises."
)
BEFORE_EIGHT = datetime(2026, 11, 25, 7, 30)  # naive: the user's wall-clock time
SLOW = 2.5  # seconds the server stalls in the timeout tests


def access(api: LocalAlexaApi, device_id: str | None = DEVICE_ID) -> ApiAccess:
    return ApiAccess(endpoint=api.endpoint, token=API_TOKEN, device_id=device_id)


def nowhere() -> ApiAccess:
    """An endpoint on a loopback port nobody listens on."""
    return ApiAccess(
        endpoint=f"https://127.0.0.1:{free_port()}", token=API_TOKEN, device_id=DEVICE_ID
    )


def create(api: LocalAlexaApi, now: datetime = BEFORE_EIGHT, **kwargs) -> str:
    return create_daily_reminder(access(api), EIGHT_AM, now, **kwargs)


def posted_trigger(api: LocalAlexaApi) -> dict:
    (body,) = api.reminders.values()
    return body["trigger"]


# --- the time zone ------------------------------------------------------------------------------


def test_time_zone_comes_back_with_the_token_and_device_sent(alexa_api):
    alexa_api.time_zone = ZONE
    assert fetch_time_zone(access(alexa_api)) == ZONE
    (request,) = alexa_api.requests
    assert request.method == "GET"
    assert request.path == f"/v2/devices/{quote(DEVICE_ID, safe='')}/settings/System.timeZone"
    assert request.headers["Authorization"] == f"Bearer {API_TOKEN}"


@pytest.mark.parametrize(
    "answer",
    [
        "../../etc",
        "",
        "Mars/Olympus_Mons",
        "localtime",
        42,
        ["UTC"],
        {"zone": "UTC"},
        "Europe/" + "x" * 300,
        b"<html>not json</html>",
        None,
    ],
    ids=repr,
)
def test_junk_time_zone_gives_none(alexa_api, answer):
    alexa_api.time_zone = answer
    assert fetch_time_zone(access(alexa_api)) is None
    assert len(alexa_api.requests) == 1


@pytest.mark.parametrize("status", [401, 403, 404, 429, 500, 503])
def test_failed_time_zone_gives_none(alexa_api, status):
    alexa_api.fail_with = status
    assert fetch_time_zone(access(alexa_api)) is None


def test_slow_time_zone_gives_none_within_the_timeout(alexa_api):
    alexa_api.delay = SLOW
    started = time.monotonic()
    assert fetch_time_zone(access(alexa_api), timeout=1.0) is None
    assert time.monotonic() - started < 1.0 + 0.5
    assert len(alexa_api.requests) == 1  # it was asked, and gave up waiting


def test_unreachable_time_zone_gives_none():
    assert fetch_time_zone(nowhere()) is None


def test_wrong_token_gives_none(alexa_api):
    wrong = ApiAccess(endpoint=alexa_api.endpoint, token="another-token", device_id=DEVICE_ID)
    assert fetch_time_zone(wrong) is None
    assert alexa_api.requests[0].headers["Authorization"] == "Bearer another-token"


def test_no_device_id_asks_nothing(alexa_api):
    assert fetch_time_zone(access(alexa_api, device_id=None)) is None
    assert alexa_api.requests == []


def test_plain_http_is_refused_before_sending(alexa_api):
    """The SDK's HTTPS-only check stays in force: a token is never sent in the clear."""
    plain = ApiAccess(
        endpoint=alexa_api.endpoint.replace("https:", "http:"), token=API_TOKEN, device_id=DEVICE_ID
    )
    assert fetch_time_zone(plain) is None
    assert alexa_api.requests == []


def test_logs_hold_no_token_and_no_device_id(alexa_api, caplog):
    caplog.set_level(logging.DEBUG)
    alexa_api.time_zone = ZONE
    fetch_time_zone(access(alexa_api))
    alexa_api.time_zone = "../../etc"
    fetch_time_zone(access(alexa_api))
    fetch_time_zone(nowhere())
    alexa_api.fail_with = 500
    fetch_time_zone(access(alexa_api))
    with pytest.raises(ApiUnavailable):
        create(alexa_api)
    alexa_api.fail_with = None
    alexa_api.reminders_permission = False
    with pytest.raises(PermissionMissing):
        create(alexa_api)
    assert API_TOKEN not in caplog.text  # no logger at all, urllib3's included
    ours = [
        record.getMessage() for record in caplog.records if record.name == "skill.alexa.services"
    ]
    assert len(ours) == 5
    assert not [line for line in ours if DEVICE_ID in line or API_TOKEN in line]
    assert API_TOKEN not in repr(access(alexa_api)) and DEVICE_ID not in repr(access(alexa_api))


# --- creating the daily reminder ----------------------------------------------------------------


def test_create_sends_a_daily_reminder_and_returns_its_token(alexa_api):
    alert_token = create(alexa_api)
    (request,) = alexa_api.requests
    assert (request.method, request.path) == ("POST", "/v1/alerts/reminders")
    assert request.headers["Authorization"] == f"Bearer {API_TOKEN}"
    assert alexa_api.reminders[alert_token] == request.body
    assert request.body == {
        "requestTime": "2026-11-25T07:30:00",
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "scheduledTime": "2026-11-25T08:00:00",
            "timeZoneId": ZONE,
            "recurrence": {
                "startDateTime": "2026-11-25T08:00:00",
                "recurrenceRules": ["FREQ=DAILY;BYHOUR=8;BYMINUTE=0;BYSECOND=0"],
            },
        },
        "alertInfo": {
            "spokenInfo": {
                "content": [{"locale": "en-GB", "text": "Time for your five leg exercises."}]
            }
        },
        "pushNotification": {"status": "ENABLED"},
    }


@pytest.mark.parametrize(
    "now, first",
    [
        (datetime(2026, 11, 25, 7, 59, 59), "2026-11-25T08:00:00"),  # before 8 am: today
        (datetime(2026, 11, 25, 8, 0), "2026-11-25T08:00:00"),  # at 8 am: today
        (datetime(2026, 11, 25, 8, 0, 1), "2026-11-26T08:00:00"),  # after 8 am: tomorrow
        (datetime(2026, 12, 31, 21, 15), "2027-01-01T08:00:00"),  # across the year
        # aware: 2026-11-24 19:30 UTC is 08:30 on the 25th in Auckland (NZDT, +13): tomorrow
        (datetime(2026, 11, 24, 19, 30, tzinfo=UTC), "2026-11-26T08:00:00"),
        # aware: 18:00 UTC is 07:00 on the 25th in Auckland: today, there
        (datetime(2026, 11, 24, 18, 0, tzinfo=UTC), "2026-11-25T08:00:00"),
    ],
)
def test_first_time_is_the_next_eight_am_in_the_users_zone(alexa_api, now, first):
    create(alexa_api, now)
    trigger = posted_trigger(alexa_api)
    assert trigger["scheduledTime"] == trigger["recurrence"]["startDateTime"] == first


def test_minutes_go_into_the_rule():
    reminder = DailyReminder(
        hour=18, minute=45, time_zone="America/New_York", locale="en-US", text="Leg exercises"
    )
    assert reminder.rule == "FREQ=DAILY;BYHOUR=18;BYMINUTE=45;BYSECOND=0"
    assert reminder.next_time(datetime(2026, 3, 8, 18, 44)) == datetime(2026, 3, 8, 18, 45)


@pytest.mark.parametrize(
    "fields",
    [
        dict(hour=24),
        dict(minute=60),
        dict(hour=-1),
        dict(time_zone="../../etc"),
        dict(time_zone="Nowhere/Land"),
        dict(text=""),
        dict(locale=""),
    ],
)
def test_a_reminder_that_cannot_be_is_refused(fields):
    with pytest.raises(ValueError):
        replace(EIGHT_AM, **fields)


@pytest.mark.parametrize("missing", ["permission", 401, 403])
def test_create_without_permission_raises_permission_missing(alexa_api, missing):
    if missing == "permission":
        alexa_api.reminders_permission = False
    else:
        alexa_api.fail_with = missing
    with pytest.raises(PermissionMissing) as caught:
        create(alexa_api)
    assert caught.value.status in (401, 403)
    assert alexa_api.reminders == {}


@pytest.mark.parametrize("status", [429, 500, 503, 504])
def test_create_on_a_failing_api_raises_api_unavailable(alexa_api, status):
    alexa_api.fail_with = status
    with pytest.raises(ApiUnavailable) as caught:
        create(alexa_api)
    assert caught.value.status == status


def test_create_that_times_out_raises_api_unavailable(alexa_api):
    alexa_api.delay = SLOW
    started = time.monotonic()
    with pytest.raises(ApiUnavailable) as caught:
        create(alexa_api, timeout=1.0)
    assert time.monotonic() - started < 1.0 + 0.5
    assert caught.value.status is None
    assert caught.value.__cause__ is None and caught.value.__suppress_context__  # no URL kept


def test_create_on_an_unreachable_api_raises_api_unavailable():
    with pytest.raises(ApiUnavailable):
        create_daily_reminder(nowhere(), EIGHT_AM, BEFORE_EIGHT)


def test_create_rejected_otherwise_raises_the_base_error(alexa_api):
    alexa_api.fail_with = 400
    with pytest.raises(AlexaApiError) as caught:
        create(alexa_api)
    assert type(caught.value) is AlexaApiError and caught.value.status == 400


# --- deleting it --------------------------------------------------------------------------------


def test_delete_removes_the_reminder(alexa_api):
    alert_token = create(alexa_api)
    assert delete_reminder(access(alexa_api), alert_token) is True
    assert alexa_api.reminders == {}
    request = alexa_api.requests[-1]
    assert (request.method, request.path) == ("DELETE", f"/v1/alerts/reminders/{alert_token}")
    assert request.headers["Authorization"] == f"Bearer {API_TOKEN}"


def test_delete_of_a_reminder_already_gone_is_false(alexa_api):
    alert_token = create(alexa_api)
    delete_reminder(access(alexa_api), alert_token)
    assert delete_reminder(access(alexa_api), alert_token) is False
    assert delete_reminder(access(alexa_api), "never-made") is False


@pytest.mark.parametrize(
    "status, error", [(403, PermissionMissing), (429, ApiUnavailable), (500, ApiUnavailable)]
)
def test_delete_failures_raise(alexa_api, status, error):
    alert_token = create(alexa_api)
    alexa_api.fail_with = status
    with pytest.raises(error):
        delete_reminder(access(alexa_api), alert_token)
    assert alert_token in alexa_api.reminders


def test_delete_without_permission_raises_permission_missing(alexa_api):
    alert_token = create(alexa_api)
    alexa_api.reminders_permission = False
    with pytest.raises(PermissionMissing):
        delete_reminder(access(alexa_api), alert_token)


def test_delete_on_an_unreachable_api_raises_api_unavailable():
    with pytest.raises(ApiUnavailable):
        delete_reminder(nowhere(), "any-token")


# --- the module itself --------------------------------------------------------------------------


def test_import_leaves_requests_unloaded():
    code = (
        "import sys, skill.alexa.services; "
        "print(sorted(m for m in ('requests', 'ask_sdk_core.api_client') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "[]"


def test_errors_share_one_base():
    assert issubclass(PermissionMissing, AlexaApiError)
    assert issubclass(ApiUnavailable, AlexaApiError)
    assert REMINDERS_PERMISSION == "alexa::alerts:reminders:skill:readwrite"


# --- access from the request envelope -----------------------------------------------------------


def envelope(**system) -> object:
    body = {
        "version": "1.0",
        "context": {
            "System": {
                "application": {"applicationId": "amzn1.ask.skill.TEST"},
                "user": {"userId": "amzn1.ask.account.TEST"},
                **system,
            }
        },
        "request": {
            "type": "LaunchRequest",
            "requestId": "amzn1.echo-api.request.TEST",
            "timestamp": "2026-11-25T07:30:00Z",
            "locale": "en-GB",
        },
    }
    return DefaultSerializer().deserialize(
        json.dumps(body), "ask_sdk_model.request_envelope.RequestEnvelope"
    )


DEVICE = {"device": {"deviceId": DEVICE_ID, "supportedInterfaces": {}}}


def test_access_from_an_envelope():
    found = ApiAccess.from_envelope(
        envelope(apiEndpoint="https://api.eu.amazonalexa.com", apiAccessToken=API_TOKEN, **DEVICE)
    )
    assert found == ApiAccess("https://api.eu.amazonalexa.com", API_TOKEN, DEVICE_ID)


def test_access_without_a_device_has_no_device_id():
    found = ApiAccess.from_envelope(
        envelope(apiEndpoint="https://api.amazonalexa.com", apiAccessToken=API_TOKEN)
    )
    assert found is not None and found.device_id is None


@pytest.mark.parametrize(
    "system",
    [
        dict(apiAccessToken=API_TOKEN, **DEVICE),
        dict(apiEndpoint="https://api.amazonalexa.com", **DEVICE),
        dict(apiEndpoint="", apiAccessToken=API_TOKEN, **DEVICE),
    ],
    ids=["no endpoint", "no token", "empty endpoint"],
)
def test_no_access_without_endpoint_and_token(system):
    assert ApiAccess.from_envelope(envelope(**system)) is None


def test_no_access_without_a_context():
    assert (
        ApiAccess.from_envelope(
            DefaultSerializer().deserialize(
                json.dumps({"version": "1.0"}), "ask_sdk_model.request_envelope.RequestEnvelope"
            )
        )
        is None
    )
