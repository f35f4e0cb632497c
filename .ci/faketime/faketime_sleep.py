"""Loaded by every Python process of the suite's shifted-clock run (.ci/run names this module in a
.pth file of the virtual environment for that run; tests start processes with PYTHONPATH of their
own). It acts only under libfaketime. libfaketime 0.9.10 (Debian 12) moves only the wall clock when told not to fake the
monotonic one, but then breaks Python 3.11's time.sleep: it shifts the absolute monotonic deadline
that sleep hands to clock_nanosleep and the kernel answers EINVAL (wolfcw/libfaketime#426).
Waiting on an event uses sem_clockwait, which libfaketime leaves alone, and sleeps as long."""

import os
import threading
import time

_pause = threading.Event()


def _sleep(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    _pause.wait(seconds)


if "faketime" in os.environ.get("LD_PRELOAD", ""):
    time.sleep = _sleep
