"""Signs every request schemathesis sends, as the server verifies it (runtime/src/auth/signature.rs):

    METHOD \\n X-Scalr-Date \\n path as sent \\n canonical query \\n raw body

under HMAC-SHA256 with the key's secret, sent as `X-Scalr-Signature: V1-HMAC-SHA256 <base64>`.

The signature covers the bytes on the wire, so it is made on the prepared request, in the
transport adapter, after schemathesis and requests have serialised the query and the body. Only
a request that carries the key id is signed: schemathesis sends the key id as the `scalrKeyId`
API-key credential of the spec's `securityDefinitions` (schemathesis.toml), and its
`ignored_auth` check removes the credentials, which must then reach the server unsigned.

The key id and secret come from SCALR_KEY_ID and SCALR_SECRET.
"""

import base64
import datetime
import hashlib
import hmac
import os
from urllib.parse import parse_qsl, quote, urlsplit

import requests.adapters
import schemathesis

KEY_ID = os.environ["SCALR_KEY_ID"]
SECRET = os.environ["SCALR_SECRET"].encode()


def canonical_query(raw: str) -> str:
    """The server's canonical query: decoded pairs, the last of a repeated key kept, sorted by
    key, each key and value RFC 3986 encoded (runtime/src/query.rs, `QueryParams::canonical`)."""
    last = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        last[key] = value
    return "&".join(
        f"{quote(key, safe='-._~')}={quote(last[key], safe='-._~')}"
        for key in sorted(last, key=lambda key: key.encode())
    )


def sign(request) -> None:
    if request.headers.get("X-Scalr-Key-Id") != KEY_ID:
        return
    url = urlsplit(request.url)
    date = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    string_to_sign = b"\n".join(
        [request.method.encode(), date.encode(), url.path.encode(), canonical_query(url.query).encode(), body]
    )
    digest = hmac.new(SECRET, string_to_sign, hashlib.sha256).digest()
    request.headers["X-Scalr-Date"] = date
    request.headers["X-Scalr-Signature"] = "V1-HMAC-SHA256 " + base64.b64encode(digest).decode()


_send = requests.adapters.HTTPAdapter.send


def _signed_send(self, request, *args, **kwargs):
    sign(request)
    return _send(self, request, *args, **kwargs)


requests.adapters.HTTPAdapter.send = _signed_send


def _same_region_copy(case, error) -> bool:
    return error == {"code": "BadRequest", "message": "Destination region is the same as source one"}


def _location_without_platform(case, error) -> bool:
    query = case.query or {}
    return (
        "cloudLocation" in query
        and "cloudPlatform" not in query
        and error
        == {
            "code": "InvalidStructure",
            "message": "Both 'cloudPlatform' and 'cloudLocation' filters should be provided with request.",
        }
    )


def _location_without_platform_head(case, error) -> bool:
    # A HEAD answer has no body to read the error from: the request must be the rule's case.
    query = case.query or {}
    return "cloudLocation" in query and "cloudPlatform" not in query


# The 400 each operation of schemathesis.toml's `[[operations]]` may answer a schema-valid
# request with, by the rule its description states.
DOCUMENTED_REFUSALS = {
    "copy_image": _same_region_copy,
    "list_images": _location_without_platform,
    "list_images_head": _location_without_platform_head,
}


@schemathesis.check
def only_documented_refusals(ctx, response, case):
    """A schema-valid request that an operation of DOCUMENTED_REFUSALS refuses with 400 was
    refused by that operation's documented rule, and nothing else."""
    rule = DOCUMENTED_REFUSALS.get(case.operation.definition.raw.get("operationId"))
    meta = case.meta
    if rule is None or meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    errors = (response.json().get("errors") if response.content else None) or [None]
    if not rule(case, errors[0]):
        raise AssertionError(f"A schema-valid request was refused by no documented rule: {errors[0]}")
    return None
