"""A rule engine that runs untrusted HL rules against orders.

Each rule is an HL file defining

    fn check(total: float, items: string[], country: string) -> string

which returns "" to accept an order or the reason to refuse it.  Rules are
written by people the shop does not trust, so each runs in a VM of its own
with a small heap, a fuel budget per order, a time limit, an output quota,
read access to `data/` only, no input, and three host functions:
`host.log(msg)`, `host.tax_rate(country) -> float`, `host.data_dir() -> string`.
A rule that hangs, hogs memory, snoops, floods its output or crashes is
reported and the engine goes on; the VM of a rule that was stopped still
answers the next order.

    python3 examples/embed/rules.py                 # every rule in rules/
    python3 examples/embed/rules.py rules/spin.hl   # some of them
"""

from __future__ import annotations

import sys
from pathlib import Path

from hl import VM, HLError, ResourceExhausted

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
TAX = {"DE": 0.19, "FR": 0.20, "XX": 0.0, "US": 0.07}
LIMITS = {"max_heap": 8 << 20, "timeout": 5.0, "max_output": 2_000}
FUEL_PER_ORDER = 1_000_000

ORDERS = [
    (62.50, ["apple", "pear"], "DE"),
    (12.00, ["plum"] * 6, "FR"),
    (30.00, ["fig"], "XX"),
]


class Rule:
    """One untrusted rule in its own VM."""

    def __init__(self, path: Path) -> None:
        self.name = path.stem
        self.log: list[str] = []
        self.output: list[str] = []
        vm = VM(**LIMITS, allow_read=[str(DATA)], stdout=self.output.append, stdin="")
        vm.define_native("host.log", self.log.append, "fn(msg: string)")
        vm.define_native("host.tax_rate", TAX.__getitem__, "fn(country: string) -> float")
        vm.define_native("host.data_dir", lambda: str(DATA), "fn() -> string")
        self.vm = vm
        self.check = vm.load_file(path).function("check")

    def judge(self, total: float, items: list[str], country: str) -> str:
        self.vm.fuel = FUEL_PER_ORDER            # every order gets the same budget
        self.log.clear()
        self.output.clear()
        try:
            reason = self.check(total, items, country)
            verdict = "accept" if not reason else f"refuse ({reason})"
        except HLError as e:
            verdict = f"error: {e.class_name}: {e.message}"
        except ResourceExhausted as e:
            verdict = f"stopped: {e}"
        notes = [f"log: {m}" for m in self.log]
        if self.output:
            notes.append(f"printed {sum(map(len, self.output))} characters")
        return "; ".join([verdict, *notes])


def main(paths: list[str]) -> int:
    files = [Path(p) for p in paths] or sorted((HERE / "rules").glob("*.hl"))
    rules = []
    for f in files:
        try:
            rules.append(Rule(f))
        except Exception as e:                   # CompileError, LoadError, VerifyError, ...
            print(f"rule {f.stem}: not loaded: {type(e).__name__}: {e}")
    for n, (total, items, country) in enumerate(ORDERS, 1):
        print(f"order {n}: {total:.2f} from {country}, {len(items)} items")
        for rule in rules:
            print(f"  {rule.name}: {rule.judge(total, items, country)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
