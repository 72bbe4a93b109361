"""Hostile snapshots: a short campaign of fixed seeds through the worker
process (no failure outcome), and one forgery of each kind a restore must
refuse, with the SnapshotError that names it.  The long campaign is
`python -m tests.fuzz.snapshots` (its docstring)."""

from __future__ import annotations

import io
import random

import pytest

from hlbc import read_module, write_module
from hllvm import VM, SnapshotError
from hllvm.layout import HASH_SHIFT, HEADER_WORDS, LENGTH_MASK, T_IARR, T_STR32
from hllvm.snapshot.tasks import TASK_CALL, TASK_INIT, TASK_MAIN

from .snap import forge, image, seeds
from .snap.worker import FAILURES, check_key, frame_references, run_one
from .snapshots import Campaign


@pytest.fixture(scope="module")
def corpus():
    return seeds.build(limit=5)        # kitchen.hl, kitchen_coll.hl and three examples


def _seed(corpus, prefix: str, frames: int = 0):
    return next(s for s in corpus if s.name.startswith(prefix) and len(s.snap.frames) >= frames)


def _mid(corpus):
    """A kitchen.hl snapshot from the middle of its run: objects, wide
    strings, deep frames."""
    return next(s for s in corpus if s.name.startswith("kitchen@") and len(s.snap.frames) >= 3
                and {"object", "str32", "iarr", "fnk"} <= set(s.kinds))


def _refused(snap_or_bytes, *words: str) -> str:
    data = snap_or_bytes if isinstance(snap_or_bytes, bytes) else snap_or_bytes.pack()
    with pytest.raises(SnapshotError) as e:
        VM(stdout=io.StringIO(), stderr=io.StringIO(), max_stack=1000).restore(data)
    text = str(e.value)
    for w in words:
        assert w in text, text
    return text


def test_the_corpus_covers_every_section(corpus):
    kinds = set()
    for s in corpus:
        kinds |= {k.split(":")[0] for k in s.kinds}
    assert {"class", "str8", "str32", "iarr", "farr", "zarr", "sarr", "rarr", "boxi", "boxf", "boxz",
            "fn0", "fnk", "array"} <= kinds, kinds
    assert any(s.snap.traces for s in corpus) and any(s.snap.handles for s in corpus)
    assert any(s.snap.task == TASK_CALL for s in corpus) and any(not s.snap.frames for s in corpus)
    assert max(len(s.snap.frames) for s in corpus) >= 10
    assert any(f.after for s in corpus for f in s.snap.frames)
    assert any(s.snap.idhash for s in corpus)


def test_unmutated_snapshots_resume(corpus):
    for s in corpus[::7]:
        kind, detail = run_one(s.data)
        assert kind in ("completed", "idle"), (s.name, kind, detail)


def test_short_campaign_has_no_failure(corpus, tmp_path):
    c = Campaign(corpus, jobs=1, crash_dir=tmp_path, seed=20261207)
    counts = c.run(300, jit="mix")
    assert not any(counts.get(k) for k in FAILURES), "\n".join(c.failures[:3])
    for kind in ("rejected", "completed", "idle"):
        assert counts[kind] > 0, counts
    assert len({k.split(":")[0] for k in c.checks}) >= 8, c.checks


def test_every_mutator_makes_other_bytes(corpus):
    for m, _w in forge.MUTATORS:
        made = 0
        for n in range(12):
            rng = random.Random(n)
            try:
                out = m(rng, corpus[n * 5 % len(corpus)], corpus)
            except forge.Skip:
                continue
            assert isinstance(out, bytes)
            made += 1
        assert made, m.__name__
    data, what = forge.mutate(random.Random(3), corpus[0], corpus)
    assert data != corpus[0].data and what


# --- the container ----------------------------------------------------------------------
def test_damage_with_a_stale_checksum_is_refused_at_the_header(corpus):
    b = bytearray(corpus[3].data)
    b[200] ^= 4
    _refused(bytes(b), "header, byte 24", "checksum mismatch")
    _refused(corpus[3].data[:-1], "header, byte 16", "truncated or padded")


def test_a_section_out_of_order_is_refused(corpus):
    s = corpus[3].snap
    secs = s.sections()
    _refused(image.seal(secs, order=[1, 3, 2, 4, 5, 6, 7, 8]), "expected section modules")


# --- meta and task ------------------------------------------------------------------------
def test_meta_fields_are_checked(corpus):
    s = image.copy(_mid(corpus).snap)
    s.fuel = -2
    _refused(s, "section meta", "fuel -2 is negative")
    s = image.copy(_mid(corpus).snap)
    s.nblocks = 1 << 40
    _refused(s, "section meta", "the heap image has room for")
    s = image.copy(_mid(corpus).snap)
    s.task = 9
    _refused(s, "unknown task kind 9")


def test_a_program_task_needs_its_main(corpus):
    s = image.copy(_mid(corpus).snap)
    assert s.task == TASK_MAIN
    s.task_module = "lang"
    _refused(s, "section meta", "has no usable main")
    s = image.copy(_mid(corpus).snap)
    s.task_function = "deep"
    _refused(s, "section meta", "names function 'deep'")


def test_the_outermost_frame_is_the_tasks_call(corpus):
    seed = _mid(corpus)
    s = image.copy(seed.snap)
    del s.frames[0]                       # main gone: step() at the bottom
    _refused(s, "frame 0", "not the program's main")
    s = image.copy(seed.snap)
    s.task = TASK_INIT
    _refused(s, "frame 0", "not the initialiser")


def test_a_host_call_names_a_function_that_exists(corpus):
    s = image.copy(_seed(corpus, "kitchen-call-deep", 2).snap)
    s.task_function = "nope"
    _refused(s, "section meta", "kitchen.nope does not exist")
    s = image.copy(_seed(corpus, "kitchen-call-deep", 2).snap)
    s.task_function = "inc"
    _refused(s, "frame 0", "not the host call's inc")


# --- modules and types ---------------------------------------------------------------------------
def test_module_code_is_verified_again(corpus):
    s = image.copy(_mid(corpus).snap)
    name, flags, blob = s.modules[-1]
    d = read_module(blob)
    i = next(i for i, f in enumerate(d.functions) if f.name == "inc")
    fns = list(d.functions)
    fns[i] = fns[i].replace(max_stack=0)           # its code needs 2
    s.modules[-1] = [name, flags, write_module(d.replace(functions=tuple(fns)))]
    _refused(s, "section modules", "do not load", "VerifyError")


def test_array_types_nested_deeper_than_the_modules_know_are_refused(corpus):
    s = image.copy(_mid(corpus).snap)
    s.types.append([max(t[0] for t in s.types) + 1, 2, ("[" * 30000 + "I",)])
    _refused(s, "section types", "nests more than 8 array types")


def test_every_type_is_some_blocks(corpus):
    s = image.copy(_mid(corpus).snap)
    s.types.append([max(t[0] for t in s.types) + 1, 1, ("lang", "Error")])
    _refused(s, "section types", "is no block's type")
    s = image.copy(_mid(corpus).snap)
    s.nblocks = len(s.types) - 1
    _refused(s, "section types", "a type no block has")


def test_type_entries_are_checked(corpus):
    seed = _mid(corpus)
    for i, (tid, kind, payload) in enumerate(seed.snap.types):
        s = image.copy(seed.snap)
        if kind == 1:
            s.types[i][2] = ("kitchen", "Shape")
            _refused(s, "no class kitchen.Shape to make instances of")
        elif kind == 2:
            s.types[i][2] = ("Lnope.Nope;",)
            _refused(s, f"type {tid}", "not loaded")
        else:
            s.types[i][2] = (payload[0], payload[1], 99)
            _refused(s, "bound values is no function value")


# --- the heap ---------------------------------------------------------------------------------
def _ref_slot(seed, kind_prefix="class:"):
    return next(w for w, t in seed.refslots if t[:1] == "L")


def test_forged_references_are_refused(corpus):
    seed = _mid(corpus)
    w = _ref_slot(seed)
    inside = next(o for o, _t, size in seed.blocks if size > 3)
    for v, words in ((1, "is not the start of a block"), (inside + 1, "is not the start of a block"),
                     (len(seed.snap.heap), "is not the start of a block"), (-5, "is not the start of a block"),
                     (seed.kinds["str8"][0], "is not of type")):
        s = image.copy(seed.snap)
        s.heap[w] = v
        _refused(s, "section heap, word", words)


def test_forged_block_headers_are_refused(corpus):
    seed = _mid(corpus)
    o = seed.kinds["iarr"][0]
    s = image.copy(seed.snap)
    s.heap[o] = T_IARR | (1 << 32)                  # a collector bit
    _refused(s, f"section heap, word {o}", "not one a block may have")
    s = image.copy(seed.snap)
    s.heap[o + 1] |= 3 << HASH_SHIFT                # an identity hash on an array
    _refused(s, f"section heap, word {o}", "only objects and function values have an identity hash")
    o = seed.kinds["object"][0]
    s = image.copy(seed.snap)
    s.heap[o + 1] = (s.heap[o + 1] & ~LENGTH_MASK) | ((s.heap[o + 1] & LENGTH_MASK) + 1)
    _refused(s, "fields; it has")


def test_strings_must_be_canonical(corpus):
    seed = _mid(corpus)
    o = seed.kinds["str32"][0]
    for cp, words in ((0xD800, "surrogate"), (0x110000, "above U+10FFFF")):
        s = image.copy(seed.snap)
        s.heap[o + HEADER_WORDS] = (s.heap[o + HEADER_WORDS] & ~0xFFFFFFFF) | cp
        _refused(s, f"section heap, word {o}", words)
    s = image.copy(seed.snap)
    n = s.heap[o + 1] & LENGTH_MASK
    for i in range((n + 1) // 2):
        s.heap[o + HEADER_WORDS + i] = 0x41 | (0x42 << 32) if 2 * i + 1 < n else 0x41
    assert s.heap[o] == T_STR32
    _refused(s, "all fit the compact form")


def test_bools_are_zero_or_one(corpus):
    seed = _mid(corpus)
    s = image.copy(seed.snap)
    w = seed.kinds["boxz"][0] + HEADER_WORDS
    s.heap[w] = 2
    _refused(s, "a bool box holding neither 0 nor 1")
    s = image.copy(seed.snap)
    s.globals[-1][seed.global_types[-1].index("Z")] = 2
    _refused(s, "a bool slot holding 2")


# --- globals, frames, traces, handles ---------------------------------------------------------------
def test_a_forged_global_names_the_global(corpus):
    seed = _mid(corpus)
    mi = len(seed.global_types) - 1
    j = next(j for j, t in enumerate(seed.global_types[mi]) if t[:1] == "L")
    s = image.copy(seed.snap)
    s.globals[mi][j] = 1
    text = _refused(s, "is not the start of a block")
    assert text.startswith("global kitchen#"), text
    s = image.copy(seed.snap)
    s.globals[mi].append(0)
    _refused(s, "section globals", "globals, not")


def test_forged_frames_are_refused(corpus):
    seed = _mid(corpus)
    cases = (("pc", 1, "no instruction of the function begins there"),
             ("after", 0, "only the innermost frame stops before an instruction"),
             ("function", 10 ** 6, "no function"))
    for field, value, words in cases:
        s = image.copy(seed.snap)
        if field == "pc":
            value = s.frames[0].pc + 1
        setattr(s.frames[0], field, value)
        _refused(s, words)
    s = image.copy(seed.snap)
    s.frames[-1].locals.append(0)
    _refused(s, "locals; the function has")
    s = image.copy(seed.snap)
    s.frames = [s.frames[0]] * 1200 + [s.frames[-1]]
    _refused(s, "this VM's stack limit is 1000")


def test_a_callee_the_call_cannot_call_is_refused(corpus):
    seed = _seed(corpus, "kitchen-call-deep", 2)
    s = image.copy(seed.snap)
    mi = s.frames[-1].module
    names = [read_module(s.modules[mi][2]).functions[i].name for i in range(len(seed.code[mi]))]
    s.frames = s.frames[:2]
    s.frames[1] = image.Frame(mi, names.index("inc"), 0, 0, [0], [])
    _refused(s, "frame 1", "its caller's call cannot call it", "it calls deep")


def test_frame_values_are_typed(corpus):
    seed = _mid(corpus)
    for i, (ltypes, _st) in enumerate(seed.frame_types):
        j = next((j for j, t in enumerate(ltypes) if t[:1] in "LS["), None)
        if j is None:
            continue
        s = image.copy(seed.snap)
        s.frames[i].locals[j] = 3
        _refused(s, f"frame {i}", "is not the start of a block")
        return
    pytest.fail("no frame with a reference local")


def test_traces_and_handles_are_checked(corpus):
    seed = next(s for s in corpus if s.snap.traces)
    s = image.copy(seed.snap)
    ref, entries = s.traces[0]
    mi, fi, pc = entries[0]
    s.traces[0][1] = [(mi, fi, pc + 100000)]
    _refused(s, "no code of")
    s = image.copy(seed.snap)
    s.traces[0][0] = 7
    _refused(s, "traces", "is not the start of a block")
    seed = _seed(corpus, "kitchen-handles")
    s = image.copy(seed.snap)
    s.handles[0][1] = 1
    _refused(s, "handle 'adder'", "is not the start of a block")


def test_check_key_leaves_numbers_out():
    e = SnapshotError("reference 123 is not the start of a block", "section heap, word 77")
    assert check_key(e) == "heap: reference N is not the start of a block"


def test_a_collection_after_restore_keeps_what_the_frames_reference(corpus):
    """A frame stopped at a handler's entry holds the caught error in a
    stack register the op there does not type for the collector; a
    collection before the frame runs must move it all the same."""
    seed = _seed(corpus, "kitchen-call-catcher", 1)
    f0 = seed.snap.frames[0]
    catcher = read_module(seed.snap.modules[f0.module][2]).functions[f0.function]
    oops = seed.kinds["class:Oops"][0]
    for h in catcher.handlers:
        s = image.copy(seed.snap)
        s.frames = [image.Frame(f0.module, f0.function, h.handler, 0, list(f0.locals), [oops])]
        vm = VM(stdout=io.StringIO(), stderr=io.StringIO(), verify_heap=True)
        vm.restore(s.pack())
        before = frame_references(vm)
        vm.collect()
        after = frame_references(vm)
        assert len(after) == len(before) and any(after)
        vm.collector.checker.check(after)       # each still a block's start
        assert all(vm.type_name(v) in ("Oops", "Error") for v in after if v)
        assert run_one(s.pack())[0] == "completed"
