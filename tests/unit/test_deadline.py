import threading
import time

import pytest

from brandcolumn.core.deadline import TookTooLong, time_limit


def busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_work_running_over_its_time_is_stopped_in_any_thread():
    stopped = {}

    def work(name):
        started = time.monotonic()
        try:
            with time_limit(0.2):
                busy(5)
        except TookTooLong:
            stopped[name] = time.monotonic() - started

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    work("main")
    for thread in threads:
        thread.join(10)
    assert set(stopped) == {0, 1, 2, "main"} and all(0.2 <= s < 1.5 for s in stopped.values())


def test_work_that_finishes_in_time_is_never_interrupted_later():
    for _ in range(2000):
        with time_limit(0.05):
            pass
    busy(0.3)  # every limit above has run out meanwhile: none may fire now


def test_an_exception_inside_goes_through_unchanged():
    with pytest.raises(ValueError):
        with time_limit(5):
            raise ValueError("own")


def test_work_ending_just_as_its_time_runs_out_never_leaves_the_watchdog_stuck():
    """The exception may arrive while the work hands its watch back: it is raised there, or not at all."""
    stopped = 0
    for attempt in range(400):
        try:
            with time_limit(0.0005):
                busy(0.0004 + attempt % 3 * 0.0001)
        except TookTooLong:
            stopped += 1
    busy(0.1)  # nothing fires late, outside its block
    started = time.monotonic()
    with pytest.raises(TookTooLong):
        with time_limit(0.1):
            busy(5)
    assert time.monotonic() - started < 2  # the watchdog still works
