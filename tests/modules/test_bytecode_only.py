"""Running bytecode never imports the compiler: `hll run x.hlc` (with the
standard library's bytecode built once) and hllvm.VM loading a `.hlc` that
imports a host module."""

import json
import subprocess
import sys
from pathlib import Path

from modsupport import hll, write

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = {
    "app/main.hl": """
import math;
import io;
import time;
import util.shapes;
fn main() -> int {
    let t = time.now();
    println(shapes.describe(new shapes.Square(2.0)) + " " + str(math.sqrt(16.0)));
    return 0;
}
""",
    "app/util/shapes.hl": """
class Square { side: float; init(side: float) { self.side = side; } }
fn describe(s: Square) -> string { return "square of area " + str(s.side * s.side); }
""",
}

# The same code path as `hll run FILE.hlc`, in a fresh interpreter, then
# report which modules were imported.
_RUN = """
import json, sys
from hll import cli
try:
    cli.main()
except SystemExit as e:
    status = e.code
print(json.dumps({"status": status, "modules": sorted(m for m in sys.modules
                                                      if m.split(".")[0] in ("compiler", "lark"))}))
"""


def _run_hlc(hlc: Path, cwd: Path) -> dict:
    r = subprocess.run([sys.executable, "-c", _RUN, "run", str(hlc)], capture_output=True, text=True,
                       cwd=cwd, timeout=300)
    assert r.returncode == 0, r.stderr
    *out, last = r.stdout.strip().splitlines()
    report = json.loads(last)
    report["out"] = "\n".join(out)
    return report


def test_running_an_hlc_never_imports_the_compiler(tmp_path, cache):
    write(tmp_path, PROGRAM)
    status, _, err = hll("compile", tmp_path / "app/main.hl", "-o", tmp_path / "out/main.hlc")
    assert status == 0, err
    assert (tmp_path / "out/util/shapes.hlc").is_file()
    assert not (tmp_path / "out/math.hlc").exists()         # the standard library is not copied
    # First run: builds the standard library's bytecode (this may compile).
    first = _run_hlc(tmp_path / "out/main.hlc", tmp_path)
    assert first["status"] == 0 and first["out"] == "square of area 4.0 4.0"
    # Every later run: bytecode only.
    again = _run_hlc(tmp_path / "out/main.hlc", tmp_path)
    assert again == {**first, "modules": []}
    assert list((cache / "stdlib").glob("*/math.hlc"))


def test_a_stale_hlc_beside_its_source_is_recompiled(tmp_path, cache):
    write(tmp_path, {"lib.hl": "fn k() -> int { return 1; }\n",
                     "main.hl": "import lib;\nfn main() { println(lib.k()); }\n"})
    assert hll("compile", tmp_path / "main.hl")[0] == 0
    assert hll("run", tmp_path / "main.hlc")[1] == "1\n"
    (tmp_path / "lib.hl").write_text("fn k() -> int { return 2; }\n")
    assert hll("run", tmp_path / "main.hlc")[1] == "2\n"      # lib.hlc no longer matches lib.hl
    (tmp_path / "lib.hlc").unlink()
    assert hll("run", tmp_path / "main.hlc")[1] == "2\n"      # no .hlc: the .hl is compiled


def test_hllvm_loads_an_hlc_importing_a_host_module_without_the_compiler(tmp_path, cache):
    import compiler
    from hl.host import stubs
    from hlbc import write_module
    import hllvm
    vm = hllvm.VM()
    vm.define_native("host.twice", lambda n: 2 * n, "(I)I")
    prog = compiler.compile_source("import host; fn f(n: int) -> int { return host.twice(n) + 1; }",
                                   name="plug", library=True, host_modules=stubs(vm))
    (tmp_path / "plug.hlc").write_bytes(write_module(prog.modules[-1]))
    assert prog.modules[-1].imports == ("lang", "host")
    from hl import stdlib
    lib = stdlib.bytecode_dir()
    code = f"""
import sys, hllvm
vm = hllvm.VM()
vm.define_native("host.twice", lambda n: 2 * n, "fn(n: int) -> int")
m = vm.load_file({str(tmp_path / 'plug.hlc')!r}, search_dirs=[{str(lib)!r}])
print(m.call("f", 20), [k for k in sys.modules if k.split(".")[0] in ("compiler", "lark", "hl")])
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "41 []\n"


def test_hllvm_vm_has_no_load_source():
    import hllvm
    import hl
    assert not hasattr(hllvm.VM, "load_source")
    assert issubclass(hl.VM, hllvm.VM) and hasattr(hl.VM, "load_source")


def test_hllvm_load_file_refuses_source_clearly(tmp_path):
    import hllvm
    import pytest
    p = tmp_path / "x.hl"
    p.write_text("fn f() {}\n")
    with pytest.raises(hllvm.LoadError, match="bytecode .*hl.VM"):
        hllvm.VM().load_file(p)
