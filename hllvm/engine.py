"""The LLVM engine: LLVM IR text in, a callable ctypes function out.

One per process (`Engine.get()`), shared by every user of native code: the
collector's trace loop today (hllvm/collector/native.py), compiled HL
functions tomorrow.  It owns

* the target machine (position-independent code for any CPU of the host's
  architecture: `cpu=""`, no extra features, so the code can be cached per
  machine and not per CPU model);
* the pass pipeline (llvmlite's new pass manager at speed level 3, vector
  loops off: the loops it sees run over a few words);
* the object cache on disk: an entry is the code of the object LLVM
  emitted — its executable section and the read-only data it reads, the
  relocations between them applied, checked to be self-contained
  (`elf_text`) — with its entry offset and a checksum, in
  `<cache root>/<cache_key>-<hash>.bin`; the hash covers the IR, the
  symbol, the llvmlite version, the host's architecture and OS, the target
  options and the cache format, so any change of these compiles afresh;
* loading cached machine code: mmap, copy, mprotect read+execute, call
  through ctypes — without importing llvmlite (whose code would cost some
  60 MiB of memory and 0.2 s); llvmlite is imported only when code is first
  compiled;
* the fallback where code cannot be cached (not Linux x86-64, or an object
  that is not self-contained): MCJIT compiles the module in the process.

API:

    Engine.get() -> Engine
    engine.native_function(ir, symbol, functype, cache_key, keep=None) -> ctypes function
        `functype` is a ctypes.CFUNCTYPE; `cache_key` names the cache entry
        ("gc/evacuate"); raises EngineUnavailable (with the reason) when
        native code cannot be built here.  What the function's code lives
        in (its pages, or its MCJIT engine) is appended to the list `keep`,
        and the code is unmapped when the last reference to it goes: a
        VM's JIT keeps its own, so a process that makes many VMs does not
        keep the code of those it dropped.  Without `keep`, the code stays
        for the life of the process (the collector's trace loop).
    engine.cache_path(ir, symbol, cache_key) -> str
    engine.compile_text(ir, symbol) -> (text section bytes, entry offset)
    engine.read_cache(path) / engine.write_cache(path, code, entry)
    elf_text(obj, symbol), cache_root(), llvmlite_version()

It does not own any IR (its users write theirs), the calling convention
beyond the ctypes signature it is given, or when to compile.

Trust: a cached file is code this process will run; it lives in the user's
own cache directory, like hll's bytecode cache, and its checksum only
guards against a torn write.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import struct
import sys
import threading
from importlib.util import find_spec

from .cachedir import cache_root
from .digest import sha256

CACHE_FORMAT = b"HLNC2\0"        # header of a cache entry (bump on any format change)
# Machine code is cached only where loading it needs nothing but mmap and
# mprotect (x86-64: no instruction-cache flush), and only as ELF text.
MACHINE = os.uname().machine if hasattr(os, "uname") else sys.platform    # (no `platform` module: 5 ms)
CACHEABLE = sys.platform.startswith("linux") and MACHINE in ("x86_64", "AMD64")
# The target machine for cached code: any CPU of the architecture.  These
# options are part of the cache key.
TARGET_OPTIONS = dict(cpu="", features="", opt=3, reloc="pic", codemodel="small")
# The pass pipeline's options, also part of the key.
PIPELINE_OPTIONS = dict(speed_level=3, loop_vectorization=False, slp_vectorization=False)


class EngineUnavailable(Exception):
    """Native code cannot be built in this process (no llvmlite, no native
    target, ...); callers fall back to Python."""


_version: str | None = None


def llvmlite_version() -> str:
    """llvmlite's version, read from its files without importing it (a cache
    hit must not load llvmlite); "none" when it is not installed."""
    global _version
    if _version is None:
        v = "none"
        spec = find_spec("llvmlite")
        if spec is not None and spec.submodule_search_locations:
            try:
                with open(os.path.join(list(spec.submodule_search_locations)[0], "_version.py")) as f:
                    text = f.read()
                v = _version_in(text)
            except OSError:
                v = "unknown"
            if v == "unknown":
                from importlib.metadata import version
                v = version("llvmlite")
        _version = v
    return _version


def _version_in(text: str) -> str:
    """The `version_version = "x.y.z"` of llvmlite's _version.py ("unknown"
    if it has none): read without `re`, which a cached run need not load."""
    for line in text.splitlines():
        name, eq, value = line.partition("=")
        if eq and name.strip() == "version_version":
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                return value[1:-1]
    return "unknown"


def elf_text(obj: bytes, symbol: str) -> tuple[bytes, int]:
    """The code of an ELF64 little-endian relocatable object as one
    position-independent image — its one executable section, then its
    read-only data (the constant pools LLVM puts floats and masks in) —
    with the relocations between them applied, and `symbol`'s offset in
    it; ValueError unless the image is self-contained (a relocation that
    is not PC-relative, or that names a symbol outside the object, such as
    a C library function)."""
    if obj[:6] != b"\x7fELF\x02\x01":
        raise ValueError("not a 64-bit little-endian ELF object")
    shoff, = struct.unpack_from("<Q", obj, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", obj, 0x3A)
    secs = [struct.unpack_from("<IIQQQQIIQQ", obj, shoff + i * shentsize) for i in range(shnum)]

    def name_at(table, off):
        base = secs[table][4] + off
        return obj[base:obj.index(b"\0", base)].decode()
    names = [name_at(shstrndx, sec[0]) for sec in secs]
    SHF_ALLOC, SHF_WRITE, SHF_EXEC, SHT_NOBITS, SHT_SYMTAB, SHT_RELA, SHT_REL = 2, 1, 4, 8, 2, 4, 9
    text = [i for i, sec in enumerate(secs) if sec[2] & SHF_EXEC and sec[5]]
    if len(text) != 1:
        raise ValueError(f"{len(text)} executable sections")
    t = text[0]
    # The image: the text, then each other section the code may read.
    image = bytearray(obj[secs[t][4]:secs[t][4] + secs[t][5]])
    placed = {t: 0}
    for i, (_n, typ, flags, _a, off, size, _l, _info, align, _es) in enumerate(secs):
        if i == t or not flags & SHF_ALLOC or not size or names[i].startswith(".eh_frame"):
            continue
        if flags & SHF_WRITE or typ == SHT_NOBITS or flags & SHF_EXEC:
            raise ValueError(f"the code needs section {names[i]}")
        align = max(align, 1)
        image.extend(bytes(-len(image) % align))
        placed[i] = len(image)
        image.extend(obj[off:off + size])
    symtab = [sec for sec in secs if sec[1] == SHT_SYMTAB]
    if len(symtab) != 1:
        raise ValueError("no symbol table")
    st = symtab[0]

    def symbol_at(k):
        return struct.unpack_from("<IBBHQQ", obj, st[4] + 24 * k)
    R_X86_64_PC32, R_X86_64_PLT32 = 2, 4
    for i, (_n, typ, _f, _a, off, size, _l, info, _al, _es) in enumerate(secs):
        if typ == SHT_REL and info in placed and size:
            raise ValueError("the code has implicit-addend relocations")
        if typ != SHT_RELA or info not in placed or not size:
            continue
        base = placed[info]
        for k in range(size // 24):
            r_off, r_info, addend = struct.unpack_from("<QQq", obj, off + 24 * k)
            kind, sym = r_info & 0xFFFFFFFF, r_info >> 32
            _name, _sinfo, _other, shndx, value, _size = symbol_at(sym)
            if kind not in (R_X86_64_PC32, R_X86_64_PLT32) or shndx not in placed:
                raise ValueError("the code has relocations outside itself")
            where = base + r_off
            delta = placed[shndx] + value + addend - where
            if not -(1 << 31) <= delta < 1 << 31:
                raise ValueError("a relocation out of range")
            struct.pack_into("<i", image, where, delta)
    for k in range(st[5] // 24):
        st_name, _info, _other, shndx, value, _size = symbol_at(k)
        if shndx == t and name_at(st[6], st_name) == symbol:
            return bytes(image), value
    raise ValueError(f"no symbol {symbol}")


class Engine:
    """The process's LLVM engine (see the module docstring)."""

    _instance: "Engine | None" = None
    _instance_lock = threading.Lock()

    @classmethod
    def get(cls) -> "Engine":
        if cls._instance is None:
            with cls._instance_lock:
                if cls._instance is None:
                    cls._instance = cls()
        return cls._instance

    def __init__(self) -> None:
        self.cacheable = CACHEABLE
        self._keep: list = []            # code that lives as long as the process (code pages, MCJIT engines)
        self._lock = threading.Lock()    # VMs in several threads: compile and map one at a time
        self._llvm = None                # llvmlite.binding, once initialised
        self._tm = None                  # the target machine for cached code

    # --- the API ------------------------------------------------------------------------
    def native_function(self, ir: str, symbol: str, functype, cache_key: str, keep: list | None = None):
        """`symbol` of `ir` as a ctypes function of type `functype`: mapped from
        the cache (about a millisecond), else compiled (llvmlite is imported
        only then) and cached; MCJIT where code cannot be cached."""
        keep = self._keep if keep is None else keep
        with self._lock:
            try:
                if self.cacheable:
                    path = self.cache_path(ir, symbol, cache_key)
                    try:
                        hit = self.read_cache(path)
                        if hit is None:
                            hit = self.compile_text(ir, symbol)
                            self.write_cache(path, *hit)
                        return functype(self._map(*hit, keep))
                    except (ValueError, OSError):
                        pass                 # not self-contained here: JIT it instead
                return functype(self._mcjit(ir, symbol, keep))
            except EngineUnavailable:
                raise
            except Exception as e:           # no llvmlite, no native target, bad IR
                raise EngineUnavailable(f"{type(e).__name__}: {e}") from e

    def cache_path(self, ir: str, symbol: str, cache_key: str) -> str:
        """Where the machine code of `symbol` in `ir` is kept between processes."""
        h = sha256(CACHE_FORMAT)
        for part in (MACHINE, sys.platform, llvmlite_version(), repr(sorted(TARGET_OPTIONS.items())),
                     repr(sorted(PIPELINE_OPTIONS.items())), symbol, ir):
            h.update(part.encode())
            h.update(b"\0")
        return os.path.join(cache_root(), f"{cache_key}-{h.hexdigest()[:24]}.bin")

    def compile_text(self, ir: str, symbol: str) -> tuple[bytes, int]:
        """IR → position-independent machine code for any CPU of this
        architecture: (the text section's bytes, `symbol`'s offset in it);
        ValueError if that code is not self-contained."""
        llvm = self._binding()
        if self._tm is None:
            self._tm = llvm.Target.from_default_triple().create_target_machine(**TARGET_OPTIONS)
        return elf_text(self._tm.emit_object(self._optimised(ir, self._tm)), symbol)

    def read_cache(self, path) -> tuple[bytes, int] | None:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return None
        n = len(CACHE_FORMAT)
        if data[:n] != CACHE_FORMAT or len(data) < n + 48:
            return None
        entry, length = struct.unpack_from("<QQ", data, n)
        digest, code = data[n + 16:n + 48], data[n + 48:]
        if len(code) != length or entry >= length or sha256(code).digest() != digest:
            return None
        return code, entry

    def write_cache(self, path, code: bytes, entry: int) -> None:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = f"{os.path.splitext(path)[0]}.{os.getpid()}.tmp"
            with open(tmp, "wb") as f:
                f.write(CACHE_FORMAT + struct.pack("<QQ", entry, len(code)) + sha256(code).digest() + code)
            os.replace(tmp, path)            # readers see the old file or the whole new one
        except OSError:
            pass                             # no cache: compiled again next time

    # --- inside -------------------------------------------------------------------------
    def _binding(self):
        if self._llvm is None:
            import llvmlite.binding as llvm
            llvm.initialize_native_target()
            llvm.initialize_native_asmprinter()
            self._llvm = llvm
        return self._llvm

    def _optimised(self, ir: str, tm):
        """The parsed, verified and optimised module of `ir` for `tm`."""
        llvm = self._binding()
        mod = llvm.parse_assembly(ir)
        mod.triple = tm.triple
        mod.data_layout = str(tm.target_data)
        mod.verify()
        pto = llvm.create_pipeline_tuning_options(speed_level=PIPELINE_OPTIONS["speed_level"])
        pto.loop_vectorization = PIPELINE_OPTIONS["loop_vectorization"]
        pto.slp_vectorization = PIPELINE_OPTIONS["slp_vectorization"]
        pb = llvm.create_pass_builder(tm, pto)
        pb.getModulePassManager().run(mod, pb)
        return mod

    def _map(self, code: bytes, entry: int, keep: list) -> int:
        """Map `code` executable (read-write while copying, then read-execute);
        the address of its entry.  The mapping lives as long as what is
        added to `keep`."""
        size = (len(code) + mmap.PAGESIZE - 1) // mmap.PAGESIZE * mmap.PAGESIZE
        pages = mmap.mmap(-1, size, prot=mmap.PROT_READ | mmap.PROT_WRITE)
        pages.write(code)
        view = ctypes.c_char.from_buffer(pages)
        addr = ctypes.addressof(view)
        libc = ctypes.CDLL(None, use_errno=True)
        libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        if libc.mprotect(addr, size, mmap.PROT_READ | mmap.PROT_EXEC) != 0:
            raise OSError(ctypes.get_errno(), "mprotect failed")
        keep.append((pages, view))
        return addr + entry

    def _mcjit(self, ir: str, symbol: str, keep: list) -> int:
        """Compile in this process with MCJIT (where code is not cached): the
        address of `symbol`.  The host CPU's own target machine."""
        llvm = self._binding()
        tm = llvm.Target.from_default_triple().create_target_machine(opt=TARGET_OPTIONS["opt"])
        engine = llvm.create_mcjit_compiler(self._optimised(ir, tm), tm)
        engine.finalize_object()
        keep.append(engine)
        addr = engine.get_function_address(symbol)
        if not addr:
            raise EngineUnavailable(f"no function {symbol} in the module")
        return addr


__all__ = ["Engine", "EngineUnavailable", "elf_text", "cache_root", "llvmlite_version", "CACHEABLE"]
