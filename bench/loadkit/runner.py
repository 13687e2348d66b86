"""Run a planned set of virtual users against a server for a bounded time, optionally with a fault schedule."""

import time
from collections.abc import Callable

from bench.loadkit.client import Ledger, start_users
from bench.loadkit.mix import ACTIONS, plan_users


def accounts_from(prepared: dict) -> dict[str, list[dict]]:
    """Accounts per persona from the JSON of `fixtures prepare` (visitors have none)."""
    password = prepared["password"]
    return {
        "advisor": [{**account, "password": password} for account in prepared["advisors"]],
        "agent": [{**account, "password": password} for account in prepared["agents"]],
    }


def run_load(
    base_url: str,
    *,
    recorder,
    accounts: dict[str, list[dict]],
    users: int,
    duration: float,
    shares: dict[str, int],
    think: float = 1.0,
    spawn_rate: float = 10.0,
    actions=ACTIONS,
    behind_proxy: bool = True,
    login_wave: bool = False,
    during: Callable[[float], None] | None = None,
) -> tuple[Ledger, float]:
    """Run the users until `duration` has passed and every thread ended; `during(stop_at)` runs meanwhile.

    Returns the ledger of submissions and the measured seconds (for the throughput column).
    """
    ledger = Ledger()
    plan = plan_users(users, shares, accounts)
    started = time.monotonic()
    threads = start_users(
        base_url,
        recorder,
        ledger,
        plan,
        actions,
        duration,
        think,
        spawn_rate,
        behind_proxy=behind_proxy,
        login_wave=login_wave,
    )
    if during is not None:
        during(started + duration)
    for thread in threads:
        thread.join(timeout=duration + 120)
    return ledger, time.monotonic() - started
