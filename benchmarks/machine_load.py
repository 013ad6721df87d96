"""The machine a benchmark runs on: its cores and load, printed next to the figures.

Figures from a shared machine mean little without them: two cores at load 6 give a third of
what they give idle. Every benchmark prints ``describe_machine()`` before its figures and
stores ``machine()`` in its JSON.
"""

from __future__ import annotations

import os


def machine() -> dict:
    """Cores this process may run on, all cores, and the load averages (1, 5, 15 minutes)."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    one, five, fifteen = os.getloadavg()
    return {"cores": usable, "cpu_count": os.cpu_count(), "load_1m": round(one, 2),
            "load_5m": round(five, 2), "load_15m": round(fifteen, 2)}


def describe_machine() -> str:
    m = machine()
    return (f"machine: {m['cores']} cores (of {m['cpu_count']}), load {m['load_1m']:.2f} "
            f"{m['load_5m']:.2f} {m['load_15m']:.2f} (1/5/15 min)")
