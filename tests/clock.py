"""A clock the test moves by hand (set `now`), for timeouts and lockouts without waiting."""


class FakeClock:
    """Callable like time.time or time.monotonic; returns `now`."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
