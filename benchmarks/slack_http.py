"""Slack HTTP mode under load: signed events per second acknowledged, acknowledgement
latency, and the time from event to the reply reaching a fake Slack Web API.

    .venv/bin/python benchmarks/slack_http.py [--rate 100] [--seconds 10]

Everything runs on 127.0.0.1: the real app under gunicorn (`python -m bot serve --http`),
the fake Web API from tests/fake_slack.py, and this sender. Loops are bounded.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_slack import FakeSlack, RunningApp, SlackSender  # noqa: E402

QUESTIONS = ["what is cvi", "who founded maig", "where is the place-based webinar", "what does the atf do",
             "when is trash pickup", "who runs giffords", "PERF report", "cities united goal"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


def paced(sender: SlackSender, fake: FakeSlack, rate: float, seconds: float) -> None:
    count = int(rate * seconds)
    acks: list[float] = []
    sent_at: dict[str, float] = {}
    lock = threading.Lock()

    def one(n: int) -> None:
        channel = f"D{n:07d}"
        started = time.perf_counter()
        with lock:
            sent_at[channel] = started
        status, _ = sender.message(QUESTIONS[n % len(QUESTIONS)], channel=channel)
        elapsed = time.perf_counter() - started
        if status == 200:
            with lock:
                acks.append(elapsed)

    fake.clear()
    begin = time.perf_counter()
    with ThreadPoolExecutor(max_workers=32) as pool:
        for n in range(count):
            delay = begin + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, n)
    deadline = time.monotonic() + 30
    while len({p["channel"] for p in fake.recorded("chat.postMessage")} & set(sent_at)) < count \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    with fake.lock:
        posts = [(p["channel"], t) for (n, p), t in zip(fake.calls, fake.times, strict=True) if n == "chat.postMessage"]
    channels = [c for c, _ in posts if c in sent_at]
    replies = [t - sent_at[c] for c, t in posts if c in sent_at]
    print(f"paced {rate:g} events/s for {seconds:g} s: {len(acks)}/{count} acknowledged; "
          f"ack p50 {percentile(acks, .5) * 1000:.1f} ms, p99 {percentile(acks, .99) * 1000:.1f} ms")
    print(f"  replies: {len(set(channels))} distinct of {count} events, {len(channels) - len(set(channels))} duplicates; "
          f"event -> reply p50 {percentile(replies, .5) * 1000:.1f} ms, p99 {percentile(replies, .99) * 1000:.1f} ms")


def burst(sender: SlackSender, fake: FakeSlack, seconds: float) -> None:
    fake.clear()
    stop = time.perf_counter() + seconds
    done = [0]
    lock = threading.Lock()

    def worker(w: int) -> None:
        n = 0
        while time.perf_counter() < stop and n < 100000:
            status, _ = sender.message("what is cvi", channel=f"B{w}-{n}")
            n += 1
            if status == 200:
                with lock:
                    done[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    print(f"burst with 8 senders for {seconds:g} s: {done[0] / elapsed:.0f} signed events acknowledged per second")


def answered_burst(sender: SlackSender, fake: FakeSlack, events: int = 2000, senders: int = 20) -> None:
    """`events` DMs as fast as `senders` can send them: how many acknowledged, how many
    answered, event -> reply p50 / p99, and replies per event (exactly one each)."""
    fake.clear()
    sent_at: dict[str, float] = {}
    acked = [0]
    lock = threading.Lock()

    def one(n: int) -> None:
        channel = f"DBURST{n:05d}"
        with lock:
            sent_at[channel] = time.perf_counter()
        status, _ = sender.message(QUESTIONS[n % len(QUESTIONS)], channel=channel)
        if status == 200:
            with lock:
                acked[0] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=senders) as pool:
        list(pool.map(one, range(events)))
    sending = time.perf_counter() - started
    deadline = time.monotonic() + 60
    while len({p["channel"] for p in fake.recorded("chat.postMessage")} & set(sent_at)) < events \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # a late duplicate would land by now
    with fake.lock:
        posts = [(p["channel"], t) for (n, p), t in zip(fake.calls, fake.times, strict=True) if n == "chat.postMessage"]
    first: dict[str, float] = {}
    for channel, t in posts:
        if channel in sent_at and channel not in first:
            first[channel] = t - sent_at[channel]
    latencies = list(first.values())
    replies = sum(1 for c, _ in posts if c in sent_at)
    print(f"burst of {events} events from {senders} senders (sent in {sending:.1f} s): {acked[0]} acknowledged, "
          f"{len(first)} answered; event -> reply p50 {percentile(latencies, .5) * 1000:.0f} ms, "
          f"p99 {percentile(latencies, .99) * 1000:.0f} ms; {replies / max(1, len(first)):.3f} replies per event")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--events", type=int, default=2000, help="the answered burst's size")
    parser.add_argument("--database", help="DATABASE_URL for the app (default: SQLite in a temporary folder); give an empty database: "
                        "the questions of an earlier run would be duplicates, acknowledged and not answered")
    args = parser.parse_args()
    fake = FakeSlack()
    app = RunningApp(fake, Path(tempfile.mkdtemp(prefix="bench-")),
                     env={"DATABASE_URL": args.database} if args.database else None)
    try:
        sender = app.sender
        for _ in range(20):  # warm up, and let those replies land before counting
            sender.message("hello")
        fake.wait_for("chat.postMessage", 20, timeout=30)
        answered_burst(sender, fake, args.events)
        paced(sender, fake, args.rate, args.seconds)
        burst(sender, fake, min(args.seconds, 5))
    finally:
        app.stop()
        fake.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
