import threading
import time

import pytest

from brandcolumn.deadline import TookTooLong, time_limit


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
