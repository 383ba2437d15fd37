"""A test PKI and signed Alexa requests, for the web host's tests.

A root CA -> intermediate -> leaf for ``echo-api.amazon.com`` (plus broken variants: no SAN,
another SAN, expired, a rogue root, a missing intermediate), a fake S3 that serves the chains by
file name, and helpers that build, sign and post request envelopes. Copied from
``tests/test_web.py`` (which keeps its own copy for now) so other test modules need not import a
test module.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Certificates and signed timestamps are checked against the machine's clock (OpenSSL, the web
# host's verifier), so they are made from it, through the product's one clock.
from skill.clock import utc_now

__all__ = [
    "ALEXA_DOMAIN",
    "API_TOKEN",
    "CHAIN_BASE",
    "GOOD_URL",
    "PKI",
    "SKILL_ID",
    "USER_ID",
    "FakeS3",
    "dumps",
    "envelope",
    "post",
    "sign",
    "signed_headers",
    "stamp",
]

SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
USER_ID = "amzn1.ask.account.SECRETUSERIDSECRETUSERID"
CHAIN_BASE = "https://s3.amazonaws.com/echo.api/"
GOOD_URL = CHAIN_BASE + "echo-api-cert-test.pem"
ALEXA_DOMAIN = "echo-api.amazon.com"
API_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzZWNyZXQiOjF9.c2ln"


# --- a test PKI ---------------------------------------------------------------------------------


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Leg Skill Test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca(
    name: str,
    key,
    issuer: x509.Certificate | None = None,
    issuer_key=None,
    now: datetime | None = None,
) -> x509.Certificate:
    now = now or utc_now()
    issuer_name = issuer.subject if issuer is not None else _name(name)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


def _leaf(
    key,
    issuer: x509.Certificate,
    issuer_key,
    *,
    sans=(ALEXA_DOMAIN,),
    not_before: datetime | None = None,
    not_after: datetime | None = None,
):
    now = utc_now()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(sans[0] if sans else "no-san.example"))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if sans:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


class PKI:
    """Keys, certificates and the chain files the fake S3 serves (by file name)."""

    def __init__(self):
        now = utc_now()
        self.root_key, self.inter_key, self.leaf_key, self.rogue_key = (_key() for _ in range(4))
        self.root = _ca("Test Root CA", self.root_key)
        self.inter = _ca("Test Intermediate CA", self.inter_key, self.root, self.root_key)
        self.leaf = _leaf(self.leaf_key, self.inter, self.inter_key)
        self.rogue_root = _ca("Rogue Root CA", self.rogue_key)
        rogue_inter = _ca("Rogue Intermediate CA", self.inter_key, self.rogue_root, self.rogue_key)
        self.files = {
            "echo-api-cert-test.pem": _pem(self.leaf, self.inter),
            "echo-api-cert-leaf-only.pem": _pem(self.leaf),
            "echo-api-cert-nosan.pem": _pem(
                _leaf(self.leaf_key, self.inter, self.inter_key, sans=()), self.inter
            ),
            "echo-api-cert-othersan.pem": _pem(
                _leaf(self.leaf_key, self.inter, self.inter_key, sans=("echo-api.example.com",)),
                self.inter,
            ),
            "echo-api-cert-expired.pem": _pem(
                _leaf(
                    self.leaf_key,
                    self.inter,
                    self.inter_key,
                    not_before=now - timedelta(days=60),
                    not_after=now - timedelta(days=1),
                ),
                self.inter,
            ),
            "echo-api-cert-rogue.pem": _pem(
                _leaf(self.leaf_key, rogue_inter, self.inter_key), rogue_inter
            ),
        }


class FakeS3:
    """The injected certificate loader: serves the PKI's files, records every URL it's asked."""

    def __init__(self, pki: PKI):
        self.pki = pki
        self.calls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        return self.pki.files[url.rsplit("/", 1)[-1]]  # KeyError -> "could not be loaded"


# --- requests -----------------------------------------------------------------------------------


def stamp(offset_seconds: float = 0) -> str:
    moment = utc_now() + timedelta(seconds=offset_seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(
    request_type: str = "LaunchRequest",
    *,
    offset: float = 0,
    skill_id: str = SKILL_ID,
    session_skill_id: str | None = None,
    **extra,
) -> dict:
    application = {"applicationId": skill_id}
    user = {"userId": USER_ID}
    request = {
        "type": request_type,
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": stamp(offset),
        "locale": "en-US",
        **extra,
    }
    body = {
        "version": "1.0",
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {"deviceId": "amzn1.ask.device.TEST", "supportedInterfaces": {}},
                # A closed local port: the Settings API look-up fails at
                # once, as it would never reach Amazon from a test.
                "apiEndpoint": "https://127.0.0.1:1",
                "apiAccessToken": API_TOKEN,
            }
        },
        "request": request,
    }
    if not request_type.startswith("AlexaSkillEvent."):
        body["session"] = {
            "new": True,
            "sessionId": f"amzn1.echo-api.session.{uuid.uuid4()}",
            "application": {"applicationId": session_skill_id or skill_id},
            "user": user,
            "attributes": {},
        }
    return body


def sign(body: bytes, key) -> str:
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()


def post(
    client,
    body: bytes,
    headers: dict | None = None,
    content_type: str = "application/json; charset=utf-8",
):
    return client.post("/", data=body, headers=headers or {}, content_type=content_type)


def signed_headers(body: bytes, key, url: str = GOOD_URL) -> dict:
    return {"SignatureCertChainUrl": url, "Signature-256": sign(body, key)}


def dumps(envelope_dict: dict) -> bytes:
    return json.dumps(envelope_dict).encode("utf-8")
