"""The rate-limit gate on a fake clock: probe, counting, windows, pauses, keys, refusals."""

from __future__ import annotations

import asyncio
import logging

import pytest

from hubapi_async._gate import _MAX_BUCKETS, GateRefused, RateLimitGate, Ticket
from hubapi_async._protocol import RateLimitPolicy, RateLimitState

from ._gate_sim import FakeClock

POLICY = RateLimitPolicy(bucket="api", quota=60, window=300)


def make_gate() -> tuple[RateLimitGate, FakeClock]:
    clock = FakeClock()
    return RateLimitGate(clock=clock, sleep=clock.sleep), clock


def answer(
    gate: RateLimitGate,
    ticket: Ticket,
    r: int | None,
    t: float = 200,
    *,
    status: int = 200,
    bucket: str = "api",
    policy: RateLimitPolicy | None = POLICY,
) -> None:
    state = None if r is None else RateLimitState(bucket=bucket, remaining=r, reset_in=t)
    gate.observe(ticket, status=status, state=state, policy=policy, backoff=1.0)


async def go(gate: RateLimitGate, bucket: str = "api", cred: str | None = "tok") -> Ticket:
    """Acquire without waiting (fails if the gate would hold the request)."""
    task = asyncio.ensure_future(gate.acquire(bucket, credential=cred, max_wait=1e9))
    await FakeClock.settle()
    assert task.done(), "the gate held a request that should have gone at once"
    return task.result()


async def held(gate: RateLimitGate, bucket: str = "api", cred: str | None = "tok") -> bool:
    task = asyncio.ensure_future(gate.acquire(bucket, credential=cred, max_wait=1e9))
    await FakeClock.settle()
    if task.done():
        gate.release(task.result(), sent=False)
        return False
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return True


async def test_first_request_probes_and_others_wait_for_its_answer() -> None:
    gate, _ = make_gate()
    probe = await go(gate)
    waiters = [asyncio.ensure_future(gate.acquire("api", credential="tok", max_wait=0))]
    await FakeClock.settle()
    assert not waiters[0].done()  # held (not refused: the wait depends on an answer)
    answer(gate, probe, r=59)
    await FakeClock.settle()
    assert waiters[0].result().seq == 1


@pytest.mark.parametrize("sent", [True, False])
async def test_a_failed_probe_releases_the_next_as_probe(sent: bool) -> None:
    gate, _ = make_gate()
    probe = await go(gate)
    first = asyncio.ensure_future(gate.acquire("api", credential="tok", max_wait=60))
    second = asyncio.ensure_future(gate.acquire("api", credential="tok", max_wait=60))
    await FakeClock.settle()
    gate.release(probe, sent=sent)
    await FakeClock.settle()
    assert first.done() and first.result().probe
    assert not second.done()  # one probe at a time
    answer(gate, first.result(), r=50)
    await FakeClock.settle()
    assert second.done()


async def test_a_slow_probe_lets_the_next_one_go_after_a_while() -> None:
    gate, clock = make_gate()
    await go(gate)
    waiter = asyncio.ensure_future(gate.acquire("api", credential="tok", max_wait=60))
    await clock.advance(4.9)
    assert not waiter.done()
    await clock.advance(0.2)
    assert waiter.done() and waiter.result().probe


async def test_a_bucket_without_headers_is_ungated_until_headers_appear() -> None:
    gate, _ = make_gate()
    probe = await go(gate, "pages")
    answer(gate, probe, r=None, policy=None)
    tickets = [await go(gate, "pages") for _ in range(50)]
    answer(gate, tickets[-1], r=0, t=100, bucket="pages", policy=None)
    assert await held(gate, "pages")  # r=0 now: the bucket is gated again


async def test_requests_not_yet_answered_count_as_possibly_uncounted() -> None:
    # The answer of the last-sent request arrives first: the ten sent before it may be
    # counted after it (they overtook nothing yet), so its r=9 leaves no room.
    gate, _ = make_gate()
    probe = await go(gate)
    answer(gate, probe, r=10)
    burst = [await go(gate) for _ in range(10)]
    assert await held(gate)
    answer(gate, burst[-1], r=9)
    assert await held(gate)
    for t in burst[:-1]:
        answer(gate, t, r=0)
    assert await held(gate)  # the server counted all 11: nothing left until the reset


async def test_the_whole_quota_goes_without_waiting_for_answers() -> None:
    gate, _ = make_gate()
    probe = await go(gate)
    answer(gate, probe, r=59)
    burst = [await go(gate) for _ in range(59)]
    assert await held(gate)
    # answers in any order, each counted: the first to settle lets nothing more go
    for i, t in enumerate(reversed(burst)):
        answer(gate, t, r=i)
    assert await held(gate)


async def test_success_with_zero_remaining_waits_t_and_a_second_of_rounding() -> None:
    gate, clock = make_gate()
    probe = await go(gate)
    answer(gate, probe, r=0, t=12)
    waiter = asyncio.ensure_future(gate.acquire("api", credential="tok", max_wait=60))
    await clock.advance(12.9)
    assert not waiter.done()
    await clock.advance(0.2)
    assert waiter.done()  # a new window: the quota is restored at once (no new probe)
    assert not (await go(gate)).probe


async def test_rollover_counts_requests_in_flight_against_the_new_window() -> None:
    gate, clock = make_gate()
    policy = RateLimitPolicy(bucket="api", quota=10, window=300)
    probe = await go(gate)
    answer(gate, probe, r=9, t=100, policy=policy)
    late = [await go(gate) for _ in range(4)]  # sent in this window, not answered
    for _ in range(5):
        answer(gate, await go(gate), r=0, t=100, policy=policy)
    assert await held(gate)
    await clock.advance(101)
    # new window: 10, less the 4 still in flight (they may be counted in it)
    fresh = [await go(gate) for _ in range(6)]
    assert await held(gate)
    # their answers say they were counted in the old window (t small): room comes back
    for t in late:
        answer(gate, t, r=0, t=1, policy=policy)
    more = [await go(gate) for _ in range(4)]
    assert await held(gate)
    assert len(fresh) + len(more) == 10


async def test_without_a_policy_each_window_starts_with_a_probe() -> None:
    gate, clock = make_gate()
    probe = await go(gate)
    answer(gate, probe, r=2, t=10, policy=None)
    burst = [await go(gate) for _ in range(2)]
    for t in burst:
        answer(gate, t, r=0, t=10, policy=None)
    assert await held(gate)
    await clock.advance(11)
    first = await go(gate)
    assert first.probe  # the quota is not known: one request learns the new window's
    assert await held(gate)
    answer(gate, first, r=2, t=10, policy=None)
    assert [await go(gate) for _ in range(2)]
    assert await held(gate)


async def test_an_answer_that_may_be_of_either_window_counts_in_both() -> None:
    gate, clock = make_gate()
    policy = RateLimitPolicy(bucket="api", quota=10, window=300)
    probe = await go(gate)
    answer(gate, probe, r=9, t=100, policy=policy)
    slow = await go(gate)
    for _ in range(8):
        answer(gate, await go(gate), r=0, t=100, policy=policy)
    await clock.advance(101)
    assert [await go(gate) for _ in range(9)]
    assert await held(gate)
    await clock.advance(150)  # slow answers late with t=200: its window is unclear
    answer(gate, slow, r=5, t=200, policy=policy)
    assert await held(gate)


async def test_429_pauses_the_bucket_until_t_plus_one_and_nothing_else() -> None:
    gate, clock = make_gate()
    probe = await go(gate)
    answer(gate, probe, r=0, t=20, status=429, policy=RateLimitPolicy("api", 500, 300))
    with pytest.raises(GateRefused) as refused:
        await gate.acquire("api", credential="tok", max_wait=5)
    assert refused.value.wait == pytest.approx(21)
    assert (refused.value.remaining, refused.value.reset_in) == (0, pytest.approx(20))
    assert (refused.value.limit, refused.value.window) == (500, 300)
    assert "paused" in str(refused.value) and "tok" not in str(refused.value)
    await go(gate, "resolvers")  # other buckets go
    assert (await go(gate, "api", cred="other")).probe  # other credentials go
    waiter = asyncio.ensure_future(gate.acquire("api", credential="tok", max_wait=60))
    await clock.advance(20.9)
    assert not waiter.done()
    await clock.advance(0.2)
    assert waiter.done()


async def test_429_without_headers_pauses_with_growing_backoff() -> None:
    gate, clock = make_gate()
    probe = await go(gate)
    answer(gate, probe, r=None, status=429)
    with pytest.raises(GateRefused) as first:
        await gate.acquire("api", credential="tok", max_wait=0.5)
    assert first.value.wait == pytest.approx(1.0)
    await clock.advance(1.0)
    answer(gate, await go(gate), r=None, status=429)
    with pytest.raises(GateRefused) as second:
        await gate.acquire("api", credential="tok", max_wait=0.5)
    assert second.value.wait == pytest.approx(2.0)
    assert not gate._bucket("tok", "api").ungated  # a 429 never ungates a bucket


async def test_buckets_are_counted_apart() -> None:
    gate, _ = make_gate()
    api = await go(gate, "api")
    answer(gate, api, r=3)
    resolvers = await go(gate, "resolvers")
    answer(gate, resolvers, r=1000, bucket="resolvers", policy=None)
    for _ in range(200):
        await go(gate, "resolvers")
    assert [await go(gate, "api") for _ in range(3)]  # still 3 left for api
    assert await held(gate, "api")


async def test_credentials_have_their_own_buckets_and_views_share() -> None:
    gate, _ = make_gate()
    alice = await go(gate, cred="hf_alice_secret_token")
    answer(gate, alice, r=0, t=100, status=429)
    assert await held(gate, cred="hf_alice_secret_token")
    assert not await held(gate, cred="hf_bob_secret_token")  # B is not blocked by A
    anon = await go(gate, cred=None)
    assert anon.probe
    assert "anonymous" in repr(anon)
    assert gate.credential_id("x") == gate.credential_id("x") != gate.credential_id("y")


async def test_the_token_is_kept_nowhere_in_the_gate() -> None:
    token = "hf_Zq8sEcretTokenValue1234"
    gate, _ = make_gate()
    ticket = await go(gate, cred=token)
    answer(gate, ticket, r=3)
    seen = [repr(gate), repr(ticket), str(gate.stats())]
    for key, bucket in gate._buckets.items():
        seen += [repr(key), repr(bucket), repr(vars(bucket))]
    assert not any(token in text or token[3:] in text for text in seen)
    assert RateLimitGate(clock=gate._clock, sleep=gate._sleep).credential_id(
        token
    ) != gate.credential_id(token)  # salted per gate: not even a stable digest


async def test_a_known_wait_beyond_the_allowed_one_is_refused_at_once() -> None:
    gate, clock = make_gate()
    probe = await go(gate)
    answer(gate, probe, r=0, t=50)
    with pytest.raises(GateRefused) as refused:
        await gate.acquire("api", credential="tok", max_wait=10)
    assert refused.value.wait == pytest.approx(51)  # t, and a second for its rounding
    assert refused.value.limit == 60
    assert clock.sleeps == []
    assert gate.stats()[(gate.credential_id("tok"), "api")]["refused"] == 1


async def test_waiters_are_refused_once_the_wait_becomes_known() -> None:
    gate, _ = make_gate()
    probe = await go(gate)
    answer(gate, probe, r=1, t=100)
    last = await go(gate)
    patient = asyncio.ensure_future(gate.acquire("api", credential="tok", max_wait=200))
    hurried = asyncio.ensure_future(gate.acquire("api", credential="tok", max_wait=5))
    await FakeClock.settle()
    assert not hurried.done()  # the in-flight answer might have given room
    answer(gate, last, r=0, t=100)
    await FakeClock.settle()
    with pytest.raises(GateRefused):
        hurried.result()
    assert not patient.done()
    patient.cancel()


async def test_a_cancelled_waiter_leaves_no_ticket_behind() -> None:
    gate, _ = make_gate()
    probe = await go(gate)
    waiter = asyncio.ensure_future(gate.acquire("api", credential="tok", max_wait=60))
    await FakeClock.settle()
    answer(gate, probe, r=1)  # admits the waiter, which is cancelled before it resumes
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    b = gate._bucket("tok", "api")
    assert b.sent == b.settled  # its ticket was handed back as never sent
    assert not (await go(gate)).probe


async def test_a_redirect_hop_is_counted_too() -> None:
    gate, _ = make_gate()
    probe = await go(gate)
    answer(gate, probe, r=2)
    hop = await go(gate)
    answer(gate, hop, r=None, status=307)
    answer(gate, hop, r=0)  # the next hop of the same call
    b = gate._bucket("tok", "api")
    assert (b.sent, b.settled) == (3, 3)
    assert await held(gate)


async def test_idle_buckets_of_many_tokens_are_forgotten() -> None:
    gate, _ = make_gate()
    for i in range(_MAX_BUCKETS + 50):
        answer(gate, await go(gate, cred=f"tenant-{i}"), r=10)
    assert len(gate._buckets) <= _MAX_BUCKETS
    busy = await go(gate, cred="busy")  # one with a request in flight is kept
    for i in range(_MAX_BUCKETS):
        answer(gate, await go(gate, cred=f"other-{i}"), r=10)
    assert (gate.credential_id("busy"), "api") in gate._buckets
    answer(gate, busy, r=1)


async def test_pauses_are_logged_at_info(caplog: pytest.LogCaptureFixture) -> None:
    gate, _ = make_gate()
    caplog.set_level(logging.INFO, logger="hubapi_async")
    probe = await go(gate)
    answer(gate, probe, r=0, t=9, status=429)
    waiter = asyncio.ensure_future(gate.acquire("api", credential="tok", max_wait=60))
    await FakeClock.settle()
    messages = [r.getMessage() for r in caplog.records]
    assert any("429 on 'api'" in m for m in messages)
    assert any("holding 'api' requests 10.0s after a 429" in m for m in messages)
    waiter.cancel()


async def test_an_answer_naming_another_bucket_is_not_taken_for_this_one() -> None:
    gate, _ = make_gate()
    probe = await go(gate, "api")
    answer(gate, probe, r=10)
    odd = await go(gate, "api")
    answer(gate, odd, r=0, t=50, bucket="whoami")  # a stricter bucket of its own
    assert not await held(gate, "api")  # api's room is not taken away by whoami's r=0
    other = await go(gate, "api")
    answer(gate, other, r=0, t=50, status=429, bucket="whoami")
    assert await held(gate, "api")  # but a 429 pauses the bucket the request went through


async def test_a_ticket_handed_back_twice_counts_once() -> None:
    gate, _ = make_gate()
    probe = await go(gate)
    answer(gate, probe, r=5)
    ticket = await go(gate)
    gate.release(ticket)
    gate.release(ticket, sent=False)
    b = gate._bucket("tok", "api")
    assert (b.sent, len(b.abandoned)) == (2, 1)


async def test_waiters_end_with_the_error_when_the_gate_can_no_longer_sleep() -> None:
    class Closed(Exception):
        pass

    clock = FakeClock()

    async def sleep(delay: float) -> None:
        raise Closed("the client is closed")

    gate = RateLimitGate(clock=clock, sleep=sleep)
    probe = await go(gate)
    answer(gate, probe, r=0, t=30)
    waiter = asyncio.ensure_future(gate.acquire("api", credential="tok", max_wait=60))
    cancelled = asyncio.ensure_future(gate.acquire("api", credential="tok", max_wait=60))
    await FakeClock.settle()
    cancelled.cancel()
    await FakeClock.settle()
    with pytest.raises(Closed):
        await waiter
    assert not gate._bucket("tok", "api").waiters
