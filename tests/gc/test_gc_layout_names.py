"""The collector writes no header offset, type id or page size as a number:
it takes them from hllvm/layout.py (the one owner of the object layout).
roots.py is listed separately: its owner switches it over."""

import re
from pathlib import Path

import pytest

COLLECTOR = Path(__file__).resolve().parents[2] / "hllvm" / "collector"
FILES = ["__init__.py", "evacuate.py", "heapcheck.py", "native.py"]
# Patterns of a literal header size or length word next to an address.
PATTERNS = [r"\+ 2\b", r"\b2 \+ ", r"<< 3\b", r"\w\[\w+ \+ 1\]", r"\b0x7ff\b", r">> 9\b", r"\b512\b"]


@pytest.mark.parametrize("name", FILES)
def test_no_layout_literals(name):
    text = (COLLECTOR / name).read_text()
    if name == "native.py":            # the IR's own literals are checked by test_gc_native
        text = text.split("_IR_TEMPLATE = ", 1)[0] + text.split('""")', 1)[1]
    found = [(p, m.group(0)) for p in PATTERNS for m in re.finditer(p, text)]
    assert found == []
