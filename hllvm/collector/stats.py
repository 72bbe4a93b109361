"""What the collector tells: counters for `--gc-stats` and one line per
collection for `--trace-gc`.

    [gc] #3 alloc 8.0M->1.2M (32.0M) 3.1ms

is collection number 3, caused by the allocation budget running out, with
8.0 MiB of blocks before and 1.2 MiB after, in a 32 MiB heap, pausing the
program for 3.1 ms (like `-Xlog:gc`).  Causes: `alloc` (the budget between
collections ran out), `full` (a block did not fit: the last try before
OutOfMemoryError), `stress` (GC stress: every allocation), `host`
(`VM.collect()`).  This module measures nothing itself.
"""

from __future__ import annotations

from collections import Counter

CAUSES = ("alloc", "full", "stress", "host")


def mib(nbytes: int) -> str:
    return f"{nbytes / (1 << 20):.1f}M"


class GCStats:
    def __init__(self, heap_bytes: int) -> None:
        self.heap_bytes = heap_bytes
        self.collections: Counter = Counter()   # by cause
        self.reclaimed_bytes = 0
        self.copied_bytes = 0
        self.live_bytes = 0            # after the last collection
        self.peak_live_bytes = 0
        self.total_pause = 0.0         # seconds
        self.max_pause = 0.0
        self.allocated_bytes = 0       # set by the collector when asked

    @property
    def count(self) -> int:
        return sum(self.collections.values())

    def record(self, cause: str, before: int, after: int, copied: int, pause: float) -> str:
        """Account one collection; returns its trace line."""
        self.collections[cause] += 1
        self.reclaimed_bytes += max(0, before - after)
        self.copied_bytes += copied
        self.live_bytes = after
        self.peak_live_bytes = max(self.peak_live_bytes, after)
        self.total_pause += pause
        self.max_pause = max(self.max_pause, pause)
        return (f"[gc] #{self.count} {cause} {mib(before)}->{mib(after)} "
                f"({mib(self.heap_bytes)}) {pause * 1e3:.1f}ms")

    def report(self) -> str:
        """The `--gc-stats` summary (several lines)."""
        kinds = ", ".join(f"{c} {self.collections[c]}" for c in CAUSES if self.collections[c])
        mean = self.total_pause / self.count if self.count else 0.0
        rate = (self.reclaimed_bytes / (1 << 20) / self.total_pause) if self.total_pause else 0.0
        return "\n".join([
            f"[gc] collections: {self.count}" + (f" ({kinds})" if kinds else ""),
            f"[gc] allocated {mib(self.allocated_bytes)}, reclaimed {mib(self.reclaimed_bytes)}, "
            f"copied {mib(self.copied_bytes)}",
            f"[gc] live {mib(self.live_bytes)} after the last collection (peak {mib(self.peak_live_bytes)}), "
            f"heap {mib(self.heap_bytes)}",
            f"[gc] pause total {self.total_pause * 1e3:.1f}ms, max {self.max_pause * 1e3:.1f}ms, "
            f"mean {mean * 1e3:.2f}ms; {rate:.0f} MiB reclaimed per second of pause",
        ]) + "\n"
