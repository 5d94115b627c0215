from tv_assets.platform.http import RateLimiter, RetryPolicy, describe


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_rate_limiter_never_starts_more_than_the_limit_in_any_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(20, 10.0, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(95):
        limiter.acquire()
        starts.append(clock.now)
    # every sliding 10 s window holds at most 20 starts
    assert max(sum(1 for s in starts if t <= s < t + 10.0) for t in starts) == 20
    # and the limiter did not wait more than it had to: 95 calls need 4 full windows
    assert starts[-1] == 40.0


def test_retry_policy_prefers_retry_after_and_caps_backoff() -> None:
    policy = RetryPolicy(max_attempts=5, backoff_base=2.0, backoff_max=30.0)
    assert policy.delay(1, "7") == 7.0
    assert policy.delay(1, "600") == 30.0
    assert 2.0 <= policy.delay(1) <= 2.5
    assert 8.0 <= policy.delay(3) <= 10.0
    assert policy.delay(10) == 30.0


def test_describe_masks_secret_parameters() -> None:
    assert describe("/tv/1", {"api_key": "s3cr3t", "page": 2}, ["api_key"]) == "/tv/1?api_key=***&page=2"
    assert describe("/schedule", None) == "/schedule"
