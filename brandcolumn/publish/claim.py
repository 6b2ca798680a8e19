"""One deploy at a time on a target: two at once to one folder left the live site with 204 of 228
files, each taking the other's release for an interrupted one (issue 13).

A deploy that has something to publish claims the target first, reads its manifest again under the
claim (another deploy may have finished meanwhile) and gives the claim back when it ends:

- a folder target: the operating system's lock on a file beside its releases folder
  (`.pinpai-releases.lock`, lock.FileLock), released however the deploy ends;
- rsync, S3 and FTP targets: the object `.brandcolumn-lock.json` beside the manifest, naming its
  owner (user, computer, process) and renewed after every batch. A deploy that finds another's
  claim refuses, unless the claim lapsed: its owner's process is gone (same computer) or it was not
  renewed for STALE_MINUTES. None of these servers can create a file only if it is absent, so
  the claim is written, then read again after SETTLE_SECONDS (or twice as long as writing it took):
  of two deploys that wrote at the same moment, only the one that reads its own claim goes on. A
  renewal first reads the claim, and a deploy whose claim was taken over stops.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import time
import uuid
from typing import TYPE_CHECKING

from ..core.messages import Text, said, say
from ..core.output import alive

if TYPE_CHECKING:
    from .publisher import Store

CLAIM_NAME = ".brandcolumn-lock.json"
STALE_MINUTES = 30
SETTLE_SECONDS = 1.0


class StoreClaim:
    """A deploy's claim on an rsync, S3 or FTP target."""

    def __init__(self, store: "Store"):
        self.store = store
        self.token = uuid.uuid4().hex
        self.mine = {"token": self.token, "user": _user(), "host": socket.gethostname(), "pid": os.getpid(),
                     "since": time.strftime("%Y-%m-%d %H:%M:%S")}

    def take(self) -> str | None:
        """Claim the target, or raise saying who has it; returns a note when a lapsed claim was taken over."""
        held = _decode(self.store.read(CLAIM_NAME))
        note = None
        if held:
            if not _lapsed(held):
                raise self.store.error(say("claim.busy", who=_who(held)), say("claim.busy.hint"))
            note = said("claim.took_over", who=_who(held))
        started = time.monotonic()
        self._write()
        _settle(max(SETTLE_SECONDS, 2 * (time.monotonic() - started)))  # longer than a slow server's round trip
        held = _decode(self.store.read(CLAIM_NAME))
        if not held or held.get("token") != self.token:
            raise self.store.error(say("claim.same_moment", who=_who(held)) if held else say("claim.same_moment.anon"),
                                   say("claim.busy.hint"))
        return note

    def renew(self) -> None:
        """Give a sign of life; stop if another deploy took the target over meanwhile (ours had lapsed)."""
        held = _decode(self.store.read(CLAIM_NAME))
        if held and held.get("token") != self.token:
            raise self.store.error(say("claim.taken_over", who=_who(held)), say("claim.taken_over.hint"))
        self._write()

    def _write(self) -> None:
        self.store.write(CLAIM_NAME, json.dumps({**self.mine, "renewed": time.time()}).encode())

    def give_back(self) -> None:
        held = _decode(self.store.read(CLAIM_NAME))
        if held and held.get("token") == self.token:
            self.store.remove([CLAIM_NAME])


def _settle(seconds: float) -> None:
    """Give a deploy that read 'no claim' at the same moment time to write its own."""
    time.sleep(seconds)


def _decode(data: bytes | None) -> dict | None:
    try:
        held = json.loads(data.decode("utf-8")) if data else None
    except (ValueError, UnicodeDecodeError):
        return None  # damaged: nobody's claim
    return held if isinstance(held, dict) and "token" in held else None


def _lapsed(held: dict) -> bool:
    """A claim whose deploy is surely over: its process is gone, or it gave no sign of life for long."""
    pid = held.get("pid")
    if held.get("host") == socket.gethostname() and isinstance(pid, int) and (pid == os.getpid() or not alive(pid)):
        return True  # this computer's process is gone, or is this one, which is not deploying any more
    renewed = held.get("renewed")
    return not isinstance(renewed, (int, float)) or time.time() - renewed > STALE_MINUTES * 60


def _who(held: dict) -> Text:
    renewed = held.get("renewed")
    last = time.strftime("%H:%M", time.localtime(renewed)) if isinstance(renewed, (int, float)) else "?"
    return say("claim.who", user=str(held.get("user", "?")), host=str(held.get("host", "?")),
               pid=str(held.get("pid", "?")), since=str(held.get("since", "?")), last=last, minutes=STALE_MINUTES)


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "?"
