"""Benchmark: cold start, warm turns, DynamoDB work per round, web host, package size.

Every figure is the median (or p50/p99) of repeated runs on this machine, printed beside the
floor measured in the same run, and written as JSON to ``build/bench.json``. DynamoDB Local is
started by the same harness as the tests. Run with ``make bench``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dynamodb_local import DynamoDbLocal, create_table_from_template, free_port  # noqa: E402

SKILL_ID = "amzn1.ask.skill.bench"
USER = "amzn1.ask.account.BENCH"


def envelope(
    request: dict, attributes: dict | None = None, new: bool = True, user: str = USER
) -> dict:
    application = {"applicationId": SKILL_ID}
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "1.0",
        "session": {
            "new": new,
            "sessionId": "amzn1.echo-api.session.bench",
            "application": application,
            "user": {"userId": user},
            "attributes": attributes or {},
        },
        "context": {
            "System": {
                "application": application,
                "user": {"userId": user},
                "device": {"deviceId": "bench", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": {
            "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": stamp,
            "locale": "en-US",
            **request,
        },
    }


def intent(name: str) -> dict:
    return {"type": "IntentRequest", "intent": {"name": name, "confirmationStatus": "NONE"}}


LAUNCH = {"type": "LaunchRequest"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


# -- 1. cold start ----------------------------------------------------------------------------

HWM = 'print([l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")][0])'
COLD_OURS = (
    textwrap.dedent("""
    import json, sys
    sys.path[:0] = [{lambda_dir!r}, {root!r}]
    import lambda_function
    out = lambda_function.lambda_handler(json.loads(sys.argv[1]), None)
    assert out["response"]["outputSpeech"]["ssml"], out
""")
    + HWM
)
COLD_FLOOR = (
    textwrap.dedent("""
    import json, sys
    sys.path[:0] = {paths!r}
    import bench_floor_skill
    out = bench_floor_skill.lambda_handler(json.loads(sys.argv[1]), None)
    assert out["response"]["outputSpeech"]["ssml"], out
""")
    + HWM
)


def run_cold(code: str | None, env: dict, arg: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh process."""
    argv = [sys.executable, "-c", code or HWM] + ([arg] if code else [])
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"cold start failed: {result.stderr[-2000:]}")
    return elapsed, int(result.stdout.split()[-1]) / 1024  # VmHWM is in kB


def bench_cold(env: dict, repeats: int) -> dict:
    from alexa_api import API_TOKEN, DEVICE_ID, LocalAlexaApi

    body = json.dumps(envelope(LAUNCH))
    ours = COLD_OURS.format(lambda_dir=str(ROOT / "lambda"), root=str(ROOT))
    variants = {
        "bare python (python -c pass)": (None, body),
        "ASK-sample-style skill (DynamoDbAdapter)": (
            COLD_FLOOR.format(paths=[str(ROOT / "scripts")]),
            body,
        ),
        "this skill (lambda_function)": (ours, body),
    }
    results = {}
    with LocalAlexaApi() as api:  # sets REQUESTS_CA_BUNDLE to its own CA while it runs
        api.time_zone = "America/New_York"
        with_api = envelope(LAUNCH)
        with_api["context"]["System"].update(apiEndpoint=api.endpoint, apiAccessToken=API_TOKEN)
        with_api["context"]["System"]["device"]["deviceId"] = DEVICE_ID
        # What a real device sends: the first turn also asks the Settings API for the zone
        # (a local HTTPS fake here), which imports requests and the SDK's service client.
        variants["this skill, with the Settings API look-up"] = (ours, json.dumps(with_api))
        api_env = {**env, "REQUESTS_CA_BUNDLE": os.environ["REQUESTS_CA_BUNDLE"]}
        for name, (code, request) in variants.items():
            runs = [run_cold(code, api_env, request) for _ in range(repeats)]
            results[name] = {
                "wall_ms": statistics.median(r[0] for r in runs) * 1000,
                "peak_rss_mb": statistics.median(r[1] for r in runs),
            }
        asked = [r for r in api.requests if r.path.endswith("/settings/System.timeZone")]
        assert len(asked) == repeats, f"{len(asked)} Settings API calls in {repeats} runs"
    return results


# -- 1b. cold start of the shipped package on the runtime's Python ------------------------------

REQUESTS_IMPORT = textwrap.dedent("""
    import sys, time
    sys.path[:0] = [{package!r}]
    started = time.perf_counter()
    import requests
    print((time.perf_counter() - started) * 1000)
""")
# The floor's packages, as the ASK samples' requirements name them.
FLOOR_REQUIREMENTS = ("ask-sdk-core", "ask-sdk-dynamodb-persistence-adapter", "boto3")


def _fresh(python: Path, code: str, env: dict, arg: str | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh ``python`` process."""
    argv = [str(python), "-s", "-c", code] + ([arg] if arg else [])
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"cold start failed: {result.stderr[-2000:]}")
    return elapsed, int(result.stdout.split()[-1]) / 1024


def bench_shipped(env: dict, repeats: int) -> dict:
    """The first turn as Lambda serves it: build/lambda/ run by python3.13, writing no bytecode,
    a LaunchRequest from a real device (the Settings API asked), against DynamoDB Local;
    paired, in alternating order, with the sample-style skill pip-installed for python3.13."""
    from alexa_api import API_TOKEN, DEVICE_ID, LocalAlexaApi
    from build_lambda import find_runtime_python

    package = ROOT / "build" / "lambda"
    python = find_runtime_python("3.13")
    if python is None or not (package / "lambda_function.py").is_file():
        return {"note": "needs python3.13 and `make package`"}
    compiled = any(package.glob("skill/__pycache__/*.cpython-313.pyc"))
    floor = ROOT / "build" / "bench-floor-py313"
    if not (floor / "ask_sdk_core").is_dir():
        # pip compiles what it installs: the floor has its bytecode, as a sample's would.
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--target",
                str(floor),
                *FLOOR_REQUIREMENTS,
            ],
            check=True,
        )
    run_env = {**env, "PYTHONDONTWRITEBYTECODE": "1"}  # /var/task is read-only
    with LocalAlexaApi() as api:
        api.time_zone = "America/New_York"
        request = envelope(LAUNCH)
        request["context"]["System"].update(apiEndpoint=api.endpoint, apiAccessToken=API_TOKEN)
        request["context"]["System"]["device"]["deviceId"] = DEVICE_ID
        body = json.dumps(request)
        run_env["REQUESTS_CA_BUNDLE"] = os.environ["REQUESTS_CA_BUNDLE"]
        ours_code = COLD_OURS.format(lambda_dir=str(package), root=str(package))
        floor_code = COLD_FLOOR.format(paths=[str(floor), str(ROOT / "scripts")])
        ours, sample, ratios = [], [], []
        for index in range(repeats):
            pair = [("ours", ours_code), ("floor", floor_code)]
            if index % 2:
                pair.reverse()  # alternate which goes first
            timings = {name: _fresh(python, code, run_env, body) for name, code in pair}
            ours.append(timings["ours"])
            sample.append(timings["floor"])
            ratios.append(timings["ours"][0] / timings["floor"][0])
        asked = [r for r in api.requests if r.path.endswith("/settings/System.timeZone")]
        assert len(asked) == repeats, f"{len(asked)} Settings API calls in {repeats} runs"
    requests_ms = [
        float(
            subprocess.run(
                [str(python), "-s", "-c", REQUESTS_IMPORT.format(package=str(package))],
                env=run_env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()[-1]
        )
        for _ in range(repeats)
    ]
    return {
        "python": str(python),
        "package_has_bytecode": compiled,
        "this_skill_ms": statistics.median(r[0] for r in ours) * 1000,
        "this_skill_rss_mb": statistics.median(r[1] for r in ours),
        "sample_ms": statistics.median(r[0] for r in sample) * 1000,
        "sample_rss_mb": statistics.median(r[1] for r in sample),
        "ratio_median_of_pairs": statistics.median(ratios),
        "requests_import_ms": statistics.median(requests_ms),
        "repeats": repeats,
    }


# -- 2. warm turns ----------------------------------------------------------------------------


class TimedStore:
    """Wraps a store and adds up the time spent inside it (the store's network time)."""

    def __init__(self, inner):
        self.inner = inner
        self.spent = 0.0

    def within(self, deadline):
        # The handlers call store.within(deadline) each turn: time the store it returns too,
        # or every call through it would count as the skill's own time.
        timed = TimedStore(self.inner.within(deadline))
        timed.spent, timed.parent = 0.0, self
        return timed

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if not callable(attr):
            return attr

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return attr(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                self.spent += elapsed
                parent = self.__dict__.get("parent")
                if parent is not None:
                    parent.spent += elapsed

        return timed


def bench_warm(table: str, repeats: int) -> dict:
    from ask_sdk_core.dispatch_components import AbstractRequestHandler
    from ask_sdk_core.skill_builder import SkillBuilder

    from skill.config import Config
    from skill.entry import make_handler
    from skill.store.base import Store
    from skill.store.dynamodb import DynamoDbStore

    store = TimedStore(DynamoDbStore(table))
    Store.register(TimedStore)
    handler = make_handler(Config(skill_id=SKILL_ID, table_name=table), store)  # type: ignore

    class Hello(AbstractRequestHandler):
        def can_handle(self, handler_input):
            return True

        def handle(self, handler_input):
            return handler_input.response_builder.speak("Hello").ask("Hello?").response

    floor_builder = SkillBuilder()
    floor_builder.add_request_handler(Hello())
    floor = floor_builder.lambda_handler()

    def session_attributes_after(requests: list[dict], user: str) -> dict:
        attributes: dict = {}
        for i, request in enumerate(requests):
            out = handler(envelope(request, attributes, new=i == 0, user=user), None)
            attributes = out.get("sessionAttributes") or {}
        return attributes

    cases = {
        "launch": ([], LAUNCH),
        "start routine": ([LAUNCH], intent("StartRoutineIntent")),
        "next set": (
            [LAUNCH, intent("StartRoutineIntent"), intent("AMAZON.NextIntent")],
            intent("AMAZON.NextIntent"),
        ),
        "what's left": ([LAUNCH], intent("RemainingIntent")),
        "help": ([LAUNCH], intent("AMAZON.HelpIntent")),
        "session ended": (
            [LAUNCH, intent("StartRoutineIntent")],
            {"type": "SessionEndedRequest", "reason": "USER_INITIATED"},
        ),
    }
    results = {}
    for name, (before, request) in cases.items():
        # Sessions are set up first (their store calls would otherwise sit between samples),
        # then ours and the floor are timed turn about, so both see the same machine noise.
        bodies = []
        for i in range(repeats):
            user = f"{USER}-{name}-{i}"
            attributes = session_attributes_after(before, user)
            bodies.append(
                (envelope(request, attributes, new=not before, user=user), envelope(request))
            )
        times, floor_times = [], []
        gc.collect()
        for ours_body, floor_body in bodies:
            store.spent = 0.0
            started = time.perf_counter()
            handler(ours_body, None)
            times.append((time.perf_counter() - started - store.spent) * 1000)
            started = time.perf_counter()
            floor(floor_body, None)
            floor_times.append((time.perf_counter() - started) * 1000)
        results[name] = {
            "p50_ms": percentile(times, 50),
            "p99_ms": percentile(times, 99),
            "floor_p50_ms": percentile(floor_times, 50),
            "floor_p99_ms": percentile(floor_times, 99),
        }
    return results


# -- 3. DynamoDB work per round ---------------------------------------------------------------


def bench_dynamodb_round(table: str) -> dict:
    import botocore.session

    from skill.config import Config
    from skill.content import EXERCISE_IDS
    from skill.entry import make_handler
    from skill.progress import KNOWN_AFTER_SETS
    from skill.store.dynamodb import DynamoDbStore

    # The store takes a botocore client in place of its own: the same calls go out, and
    # botocore's events count them and their consumed capacity, as DynamoDB reports it.
    store = DynamoDbStore(table, botocore.session.Session().create_client("dynamodb"))
    counts = {"read_calls": 0, "write_calls": 0, "read_units": 0.0, "write_units": 0.0, "calls": {}}
    reads = {"GetItem", "BatchGetItem", "Query"}

    def ask_for_capacity(params, model, **_):
        params.setdefault("ReturnConsumedCapacity", "TOTAL")

    def after(http_response, parsed, model, **_):
        name = model.name
        counts["calls"][name] = counts["calls"].get(name, 0) + 1
        kind = "read" if name in reads else "write"
        counts[f"{kind}_calls"] += 1
        consumed = parsed.get("ConsumedCapacity") or []
        if isinstance(consumed, dict):
            consumed = [consumed]
        counts[f"{kind}_units"] += sum(c.get("CapacityUnits", 0) for c in consumed)

    events = store.client.meta.events
    events.register("provide-client-params.dynamodb.*", ask_for_capacity)
    events.register("after-call.dynamodb.*", after)
    handler = make_handler(Config(skill_id=SKILL_ID, table_name=table), store)

    def one_round(user: str) -> dict:
        for key in ("read_calls", "write_calls"):
            counts[key] = 0
        counts.update(read_units=0.0, write_units=0.0, calls={})
        attributes: dict = {}
        requests = [LAUNCH, intent("StartRoutineIntent")]
        out = None
        for i in range(200):
            request = requests[i] if i < len(requests) else intent("AMAZON.NextIntent")
            out = handler(envelope(request, attributes, new=i == 0, user=user), None)
            attributes = out.get("sessionAttributes") or {}
            speech = out["response"].get("outputSpeech", {}).get("ssml", "")
            if out["response"].get("shouldEndSession") or "That&apos;s round" in speech:
                break
        handler(envelope(intent("AMAZON.StopIntent"), attributes, new=False, user=user), None)
        measured = json.loads(json.dumps(counts))  # a copy: the check below also reads
        measured["turns"] = i + 2
        measured["sets_saved"] = store.load(user, datetime.now(UTC).date()).today.total()
        return measured

    # Someone who knows the five exercises (three sets of each done before): no set adds the
    # known-sets counter any more. Then a new user's first round, which does (skill/progress.py
    # KNOWN_AFTER_SETS: one more write per set for the first three sets of each exercise).
    known_user = f"{USER}-round-known"
    for exercise_id in EXERCISE_IDS:
        for _ in range(KNOWN_AFTER_SETS):
            store.count_known(known_user, exercise_id)
    measured = one_round(known_user)
    measured["new_user"] = one_round(f"{USER}-round-new")
    return measured


# -- 4. web host ------------------------------------------------------------------------------

SERVER = textwrap.dedent("""
    import sys
    sys.path[:0] = [{root!r}]
    from cryptography import x509
    from skill.config import Config
    from skill.store.sqlite import SqliteStore
    from skill.web import make_server
    from skill.webverify import AlexaSignatureVerifier
    root = x509.load_pem_x509_certificate(open({root_pem!r}, "rb").read())
    chain = open({chain_pem!r}, "rb").read()
    verifier = AlexaSignatureVerifier(cert_loader=lambda url: chain, trusted_roots=[root])
    server = make_server(Config(skill_id={skill_id!r}, log_level="WARNING"), "127.0.0.1",
                         {port}, store=SqliteStore({db!r}), verifiers=[verifier], threads=4)
    print("ready", flush=True)
    server.run()
""")

LOAD = textwrap.dedent("""
    import json, sys, time, http.client
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    bodies = json.load(sys.stdin)
    connection = http.client.HTTPConnection("127.0.0.1", port)
    latencies, statuses = [], {}
    deadline = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < deadline:
        body, headers = bodies[i % len(bodies)]
        started = time.perf_counter()
        connection.request("POST", "/", body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        i += 1
    print(json.dumps({"latencies": latencies, "statuses": statuses}))
""")


def bench_web(seconds: float) -> dict:
    from signing import PKI, sign  # the tests' own test CA and signer

    pki = PKI()
    with tempfile.TemporaryDirectory() as tmp:
        root_pem, chain_pem = Path(tmp, "root.pem"), Path(tmp, "chain.pem")
        from cryptography.hazmat.primitives import serialization

        root_pem.write_bytes(pki.root.public_bytes(serialization.Encoding.PEM))
        chain_pem.write_bytes(pki.files["echo-api-cert-test.pem"])
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                SERVER.format(
                    root=str(ROOT),
                    root_pem=str(root_pem),
                    chain_pem=str(chain_pem),
                    skill_id=SKILL_ID,
                    port=port,
                    db=str(Path(tmp, "web.sqlite3")),
                ),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout.readline().strip() == "ready", server.stderr.read()
            url = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
            bodies = []
            for i in range(200):  # distinct users so each request is a real first turn
                body = json.dumps(envelope(LAUNCH, user=f"{USER}-web-{i}"))
                bodies.append(
                    (
                        body,
                        {
                            "Content-Type": "application/json",
                            "SignatureCertChainUrl": url,
                            "Signature-256": sign(body.encode(), pki.leaf_key),
                        },
                    )
                )
            load = subprocess.run(
                [sys.executable, "-c", LOAD, str(port), str(seconds)],
                input=json.dumps(bodies),
                capture_output=True,
                text=True,
                timeout=seconds + 60,
            )
            if load.returncode != 0:
                raise RuntimeError(f"load generator failed: {load.stderr[-2000:]}")
            data = json.loads(load.stdout)
        finally:
            server.terminate()
            server.wait(timeout=10)
    latencies = [x * 1000 for x in data["latencies"]]
    return {
        "requests_per_second": len(latencies) / seconds,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "statuses": data["statuses"],
    }


# -- 5. package -------------------------------------------------------------------------------


def bench_package() -> dict:
    zipped = ROOT / "build" / "lambda.zip"
    unzipped = ROOT / "build" / "lambda"
    if not zipped.exists():
        return {"note": "run `make package` first"}
    size = sum(p.stat().st_size for p in unzipped.rglob("*") if p.is_file())
    return {"zipped_mb": zipped.stat().st_size / 2**20, "unzipped_mb": size / 2**20}


def print_shipped(shipped: dict) -> None:
    """The first table: the shipped package's first turn against the sample-style skill."""
    print(f"\nload average {os.getloadavg()}")
    if "note" in shipped:
        print(f"0. Shipped package on python3.13: {shipped['note']}\n")
    else:
        print(
            "0. First turn as Lambda serves it: build/lambda/ on python3.13, "
            "PYTHONDONTWRITEBYTECODE=1, LaunchRequest with the Settings API asked, DynamoDB "
            f"Local; paired and alternated, median of {shipped['repeats']}"
            + ("" if shipped["package_has_bytecode"] else " (package WITHOUT bytecode)")
        )
        print(
            f"   this skill (shipped package)  {shipped['this_skill_ms']:8.0f} ms  "
            f"{shipped['this_skill_rss_mb']:6.1f} MB\n"
            f"   ASK-sample-style skill (pip-installed for 3.13, with bytecode)  "
            f"{shipped['sample_ms']:8.0f} ms  {shipped['sample_rss_mb']:6.1f} MB\n"
            f"   ratio (median of pairs): {shipped['ratio_median_of_pairs']:.2f}x "
            f"(target <= 0.40x); peak RSS target < 60 MB\n"
            f"   importing requests from the package (no longer on the first turn): "
            f"{shipped['requests_import_ms']:.0f} ms\n"
        )


# -- main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--warm-repeats", type=int, default=1000)
    parser.add_argument("--web-seconds", type=float, default=5.0)
    parser.add_argument("--out", default=str(ROOT / "build" / "bench.json"))
    parser.add_argument(
        "--shipped-only",
        action="store_true",
        help="only the first table: the shipped package on python3.13 against the sample",
    )
    args = parser.parse_args()

    results: dict = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        }
    }
    with DynamoDbLocal() as local:
        endpoint = local.endpoint
        env = {
            **os.environ,
            "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "SKILL_ID": SKILL_ID,
            "LOG_LEVEL": "WARNING",
        }
        os.environ.update({k: v for k, v in env.items() if k.startswith("AWS_")})
        import boto3

        client = boto3.client("dynamodb")
        table = "bench-progress"
        create_table_from_template(client, table)
        client.create_table(
            TableName="bench-floor",
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        )
        env.update(TABLE_NAME=table, FLOOR_TABLE_NAME="bench-floor")
        results["shipped_first_turn"] = bench_shipped(env, args.repeats)
        print_shipped(results["shipped_first_turn"])
        if args.shipped_only:
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text(json.dumps(results, indent=2))
            return 0
        results["cold_start"] = bench_cold(env, args.repeats)
        results["warm_turns"] = bench_warm(table, args.warm_repeats)
        results["dynamodb_per_round"] = bench_dynamodb_round(table)
    results["web_host"] = bench_web(args.web_seconds)
    results["package"] = bench_package()

    cold = results["cold_start"]
    ours = cold["this skill (lambda_function)"]
    sample = cold["ASK-sample-style skill (DynamoDbAdapter)"]
    print(f"\nMachine: {results['machine']}, load average {os.getloadavg()}\n")
    print("Second table: the dev venv (this Python, bytecode cached)\n")
    print(
        "1. Cold start (fresh process, LaunchRequest against DynamoDB Local; median of "
        f"{args.repeats})"
    )
    for name, figures in cold.items():
        print(f"   {name:44s} {figures['wall_ms']:8.0f} ms  {figures['peak_rss_mb']:6.1f} MB")
    with_api = cold["this skill, with the Settings API look-up"]
    print(
        f"   with the Settings API look-up (a real device's first turn): "
        f"{with_api['wall_ms'] / sample['wall_ms']:.2f}x the sample-style skill"
    )
    print(
        f"   ratio to the sample-style skill: {ours['wall_ms'] / sample['wall_ms']:.2f}x "
        f"(target <= 0.6x); peak RSS {ours['peak_rss_mb']:.1f} MB (target < 80 MB)"
    )
    print(
        f"\n2. Warm turns, skill time without the store's network time ({args.warm_repeats} each)"
    )
    print(f"   {'request':16s} {'p50':>8s} {'p99':>8s}   floor p50/p99   p99 ratio (<= 3x)")
    for name, f in results["warm_turns"].items():
        print(
            f"   {name:16s} {f['p50_ms']:7.2f}ms {f['p99_ms']:7.2f}ms   "
            f"{f['floor_p50_ms']:.2f}/{f['floor_p99_ms']:.2f} ms   "
            f"{f['p99_ms'] / f['floor_p99_ms']:.1f}x"
        )
    d = results["dynamodb_per_round"]
    print(
        f"\n3. DynamoDB per full round (launch, five sets, stop): {d['read_calls']} read "
        f"calls, {d['write_calls']} write calls (target 1 and 7), {d['read_units']:g} RCU, "
        f"{d['write_units']:g} WCU; calls {d['calls']}; sets saved {d['sets_saved']}"
        f"\n   a new user's first round: {d['new_user']['write_calls']} write calls "
        f"(the known-sets counter: one per set, for each exercise's first three sets only)"
    )
    w = results["web_host"]
    print(
        f"\n4. Web host, signed LaunchRequests over loopback, one worker process: "
        f"{w['requests_per_second']:.0f} req/s, p50 {w['p50_ms']:.1f} ms, p99 "
        f"{w['p99_ms']:.1f} ms (target >= 500 req/s, p99 < 20 ms); statuses {w['statuses']}"
    )
    p = results["package"]
    if "zipped_mb" in p:
        print(
            f"\n5. Lambda package: {p['zipped_mb']:.1f} MB zipped, {p['unzipped_mb']:.1f} MB "
            "unzipped"
        )
    else:
        print(f"\n5. Lambda package: {p['note']}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    print(f"\nFigures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
