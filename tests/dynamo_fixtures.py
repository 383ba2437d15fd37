"""pytest fixtures for DynamoDB Local, as a plugin module.

Use it with ``pytest_plugins = ["dynamo_fixtures"]`` (``tests/`` is on ``sys.path`` under pytest's
default ``prepend`` import mode, as ``tests/`` has no ``__init__.py``).

``dynamodb_local`` (session): starts DynamoDB Local once, points the standard AWS configuration
at it (``AWS_ENDPOINT_URL_DYNAMODB``, fake credentials, a region) for the session, and restores
the environment and stops the server at the end. Nothing here reaches AWS.

``dynamo_table`` / ``dynamo_store`` (function): a fresh, uniquely named table created from
``template.yaml``, and a :class:`~skill.store.dynamodb.DynamoDbStore` on it.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
from dynamodb_local import DynamoDbLocal, HarnessError, create_table_from_template

# The variables the session sets (None: removed) so boto3 talks to DynamoDB Local only.
_FAKE_AWS_ENV = {
    # DynamoDB Local (2.0+) accepts key IDs of letters and digits only.
    "AWS_ACCESS_KEY_ID": "dynamodblocal",
    "AWS_SECRET_ACCESS_KEY": "dynamodblocal",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_SESSION_TOKEN": None,
    "AWS_SECURITY_TOKEN": None,
    "AWS_PROFILE": None,
    "AWS_DEFAULT_PROFILE": None,
    "AWS_ENDPOINT_URL": None,
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": None,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


@pytest.fixture(scope="session")
def dynamodb_local() -> Iterator[str]:
    """The endpoint URL of a DynamoDB Local started for this test session."""
    server = DynamoDbLocal()
    problem = None
    try:
        server.start()
    except HarnessError as exc:
        problem = str(exc)
    if problem:  # one line, outside the except block so no traceback chain is printed
        pytest.fail(problem, pytrace=False)
    overrides = dict(_FAKE_AWS_ENV, AWS_ENDPOINT_URL_DYNAMODB=server.endpoint)
    saved = {name: os.environ.get(name) for name in overrides}
    try:
        for name, value in overrides.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield server.endpoint
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        server.stop()


@pytest.fixture
def dynamo_client(dynamodb_local):
    """A low-level boto3 client on DynamoDB Local, for reading raw items."""
    import boto3

    client = boto3.session.Session().client("dynamodb")
    yield client
    client.close()


@pytest.fixture
def dynamo_table(dynamodb_local, dynamo_client) -> Iterator[str]:
    """A fresh table made from template.yaml's definition; deleted afterwards."""
    name = f"leg-skill-test-{uuid.uuid4().hex[:12]}"
    problem = None
    try:
        create_table_from_template(dynamo_client, name)
    except HarnessError as exc:
        problem = str(exc)
    if problem:
        pytest.fail(problem, pytrace=False)
    yield name
    with contextlib.suppress(Exception):  # a test may have deleted it; the server is in memory
        dynamo_client.delete_table(TableName=name)


@pytest.fixture
def dynamo_store(dynamo_table):
    """A DynamoDbStore on a fresh table, configured the way Lambda configures it."""
    from skill.store.dynamodb import DynamoDbStore

    store = DynamoDbStore(dynamo_table)
    yield store
    store.close()
