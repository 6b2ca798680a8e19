"""Publish to S3-compatible object storage (Aliyun OSS, Tencent COS, MinIO, Amazon S3) with boto3.

Each PUT replaces an object at once, so a reader never sees half a page; the upload order and the
manifest checkpoints of deploy.py keep the site whole if the connection drops. The access key comes
only from boto3's own chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or ~/.aws), never from
site.yml, and no message repeats it. Every failure of the service becomes one SiteError saying what to
do; short timeouts make an unreachable endpoint fail in seconds instead of minutes. boto3 is imported
only here, and deploy.py imports this module only for an s3:// target.
"""

from __future__ import annotations

import base64
import hashlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import boto3
from botocore import exceptions as boto
from botocore.config import Config

from ..core.errors import SiteError
from ..core.messages import say
from ..core.targets import DeployTarget
from . import plan
from .publisher import Store

DELETE_CHUNK = 1000  # the most keys one DeleteObjects request takes
REFUSED = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidClientTokenId", "403",
           "AllAccessDisabled", "InvalidSecurity", "ExpiredToken"}


class S3Publisher(Store):
    """A bucket, and a key prefix in it, that takes the site object by object."""

    def __init__(self, target: DeployTarget, root: Path):
        super().__init__(target, root)
        self.bucket, self.prefix = target.host, target.path
        # when_required: boto3 >= 1.36 adds CRC32 checksums to every upload by default, which
        # S3-compatible services (OSS, COS, older MinIO) may not accept; S3 itself does not need them.
        config = Config(connect_timeout=10, read_timeout=60, retries={"max_attempts": 3},
                        request_checksum_calculation="when_required", response_checksum_validation="when_required")
        with self._reporting(checking_bucket=True):
            self.client = boto3.session.Session().client("s3", endpoint_url=target.endpoint,
                                                         region_name=target.region, config=config)
            self.client.meta.events.register("before-sign.s3.DeleteObjects", _add_content_md5)
            self.client.head_bucket(Bucket=self.bucket)

    def close(self) -> None:
        self.client.close()

    def read(self, name: str) -> bytes | None:
        with self._reporting():
            try:
                return self.client.get_object(Bucket=self.bucket, Key=self._key(name))["Body"].read()
            except boto.ClientError as exc:
                if _code(exc) in ("NoSuchKey", "404"):
                    return None
                raise

    def write(self, name: str, data: bytes) -> None:
        with self._reporting():
            self.client.put_object(Bucket=self.bucket, Key=self._key(name), Body=data, **_headers(name))

    def put(self, paths: list[str], source: Path) -> None:
        with self._reporting():
            for path in paths:
                with (source / path).open("rb") as body:
                    self.client.put_object(Bucket=self.bucket, Key=self._key(path), Body=body, **_headers(path))

    def remove(self, paths: list[str]) -> None:
        with self._reporting():
            for start in range(0, len(paths), DELETE_CHUNK):
                keys = [{"Key": self._key(path)} for path in paths[start:start + DELETE_CHUNK]]
                failed = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})
                if failed.get("Errors"):
                    first = failed["Errors"][0]
                    detail = f"{first.get('Key')}: {first.get('Code')} {first.get('Message', '')}".rstrip()
                    raise self.error(say("s3.remove_failed", count=len(failed["Errors"]), detail=detail),
                                     say("s3.remove_failed.hint"))

    def _key(self, path: str) -> str:
        return f"{self.prefix}/{path}" if self.prefix else path

    def _endpoint(self) -> str:
        return self.target.endpoint or self.client.meta.endpoint_url

    @contextmanager
    def _reporting(self, checking_bucket: bool = False) -> Iterator[None]:
        """Turn what boto3 raises into one SiteError that says what to do, without any secret."""
        try:
            yield
        except boto.ClientError as exc:
            raise self._refused(exc, checking_bucket) from exc
        except (boto.NoCredentialsError, boto.PartialCredentialsError) as exc:
            raise self.error(say("s3.no_key"), say("s3.key.hint")) from exc
        except (boto.ConnectionError, boto.HTTPClientError) as exc:
            raise self.error(say("s3.unreachable", endpoint=self._endpoint()),
                             say("s3.unreachable.hint", detail=type(exc).__name__)) from exc
        except boto.BotoCoreError as exc:
            raise self.error(say("s3.client", detail=str(exc)), say("s3.client.hint")) from exc

    def _refused(self, exc: boto.ClientError, checking_bucket: bool) -> SiteError:
        code, text = _code(exc), exc.response.get("Error", {}).get("Message", "")
        if code in ("NoSuchBucket",) or (checking_bucket and code == "404"):
            return self.error(say("s3.no_bucket", bucket=self.bucket), say("s3.no_bucket.hint"))
        if code in REFUSED:
            return self.error(say("s3.refused", code=code), say("s3.refused.hint", bucket=self.bucket))
        full = "quota" in f"{code} {text}".lower()
        return self.error(say("s3.answered", code=code, detail=text or "-"),
                          say("s3.quota.hint") if full else say("s3.answered.hint"))


def _headers(path: str) -> dict[str, str]:
    headers = {"ContentType": plan.content_type(path), "CacheControl": plan.cache_control(path)}
    if disposition := plan.content_disposition(path):
        headers["ContentDisposition"] = disposition
    return headers


def _code(exc: boto.ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _add_content_md5(request, **_) -> None:
    """Aliyun OSS refuses DeleteObjects without Content-MD5 (0016-00000606); boto3 >= 1.36 sends CRC32 only."""
    body = request.body if isinstance(request.body, bytes) else str(request.body or "").encode("utf-8")
    request.headers["Content-MD5"] = base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode()
