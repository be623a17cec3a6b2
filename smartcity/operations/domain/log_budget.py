"""How many log lines a source of refusals may cost.

A peer (or anyone who can open a socket) sending a megabyte of header-like
bytes must not write forty thousand log lines: each source gets a bucket of
``burst`` lines that refills at ``per_minute``; lines beyond it are held
back and counted, and the next line let through says how many were held
back (the counters keep every refusal either way).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LogBudget:
    burst: int = 20
    per_minute: float = 10.0
    held: int = 0
    """Lines held back since the last one let through."""
    _tokens: float = field(default=-1.0, repr=False)
    _stamp: float | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self._tokens < 0:
            self._tokens = float(self.burst)

    def take(self, now: float) -> int | None:
        """``None``: hold this line back. Otherwise log it, adding how many
        lines were held back before it (0: none). ``now`` in seconds (monotonic)."""
        if self._stamp is not None and now > self._stamp:
            refill = (now - self._stamp) * self.per_minute / 60.0
            self._tokens = min(float(self.burst), self._tokens + refill)
        self._stamp = now if self._stamp is None else max(now, self._stamp)
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            held, self.held = self.held, 0
            return held
        self.held += 1
        return None
