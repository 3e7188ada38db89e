#!/usr/bin/python3
"""Signs the request described on stdin with botocore's SigV4 signer and prints its Authorization.

The reference half of the sigv4_botocore test: sigv4-sign (our signer) reads the same JSON and must
print the same line. Input:

    {"method": "POST", "host": "abc.execute-api.eu-west-1.amazonaws.com",
     "path": "/production/@connections/abc%3D",   # as sent on the wire
     "query": [["name", "value"], ...],             # not encoded
     "headers": [["Content-Type", "application/json"], ...],
     "body": "...", "access_key_id": "...", "secret_access_key": "...",
     "session_token": "..." (optional), "region": "eu-west-1", "service": "execute-api",
     "timestamp": "20240102T030405Z", "payload_hash_header": false (optional)}

--verbose logs botocore's canonical request and string to sign on stderr. Needs Debian's
python3-botocore, so run it with /usr/bin/python3.
"""
import datetime
import hashlib
import json
import logging
import sys
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def sign(spec):
    frozen = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")

    class FrozenClock(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return frozen

    body = spec.get("body", "").encode("utf-8")
    request = AWSRequest(
        method=spec["method"],
        url="https://" + spec["host"] + spec["path"],
        data=body,
        params=[tuple(pair) for pair in spec.get("query", [])],
    )
    # botocore's HTTPHeaders appends on assignment, so a repeated name keeps every value.
    for name, value in spec.get("headers", []):
        request.headers[name] = value

    credentials = Credentials(
        spec["access_key_id"], spec["secret_access_key"], spec.get("session_token")
    )
    if spec["service"] == "s3":
        # S3's signer signs the path as sent and always sends the payload's hash.
        signer = botocore.auth.S3SigV4Auth(credentials, "s3", spec["region"])
    else:
        signer = botocore.auth.SigV4Auth(credentials, spec["service"], spec["region"])
        if spec.get("payload_hash_header"):
            # What a botocore caller does to send the hash: set the header, which is then signed.
            request.headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()

    with mock.patch.object(botocore.auth.datetime, "datetime", FrozenClock):
        signer.add_auth(request)
    return request.headers["Authorization"]


def main():
    if "--verbose" in sys.argv[1:]:
        logging.basicConfig(stream=sys.stderr, level=logging.DEBUG, format="botocore: %(message)s")
        logging.getLogger("botocore").setLevel(logging.DEBUG)
    try:
        spec = json.load(sys.stdin)
        print(sign(spec))
    except (KeyError, ValueError, TypeError) as error:
        print(f"botocore_sign: bad request description: {error!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
