"""The object layout: the one owner of every offset, size and type id of the heap.

Everything that reads or writes heap memory — interpreter ops, value
conversions, natives, the collector (in Python and in its LLVM IR), the heap
checker, and compiled code — derives its addresses from the names here;
no other module writes a header size, a type id or a page shift as a
number.  docs/heap.md documents the same layout byte by byte.

A block is a header of HEADER_WORDS words, then its payload:

    word 0   type id (low 32 bits; the high 32 are the collector's, zero
             between collections)
    word 1   length (low 32 bits): elements of an array, code points of a
             string, field count of an instance, bound values of a function
             value, payload words of a filler; the high 32 bits hold the
             identity hash of an instance or a function value (0: none
             assigned yet), and are zero in every other block
    word 2.. payload: fields (one word each), bound values, or elements

References are word indices into the heap (0 is null: words 0 and 1 are a
reserved all-zero block).  The address of

    field slot s of an instance at r         word   r + HEADER_WORDS + s
    element i of an int/float/ref array a    word   a + HEADER_WORDS + i
    element i of a bool array a              byte   (a + HEADER_WORDS) * 8 + i
    code point i of a compact string s       byte   (s + HEADER_WORDS) * 8 + i
    code point i of a wide string s          uint32 (s + HEADER_WORDS) * 2 + i

Type ids from FIRST_CLASS_ID on are handed out by the linker, one per class,
interface, array of references by element type (`[Lm.C;`, `[[I`, `[(I)I`,
`[R`...), function type and function-value shape (hllvm/typeids.py); the
arrays of int, float, bool and string have the fixed ids below, so natives
build them without the linker.

This module owns numbers and pure functions over them; it holds no state,
allocates nothing and knows nothing of classes.
"""

from __future__ import annotations

# --- type ids (low 32 bits of word 0) ---------------------------------------------
T_NONE = 0        # the reserved null block
T_STR8 = 1        # string, 1 byte per code point (all code points < 256)
T_STR32 = 2       # string, 4 bytes per code point (UTF-32LE)
T_IARR = 3        # int[]: 8 bytes per element (signed 64-bit)
T_FARR = 4        # float[]: 8 bytes per element (IEEE binary64)
T_ZARR = 5        # bool[]: 1 byte per element (0 or 1)
T_SARR = 6        # string[]: 8 bytes per element, a reference (other arrays of
                  # references have linker-assigned ids, one per element type)
T_FILLER = 7      # free space left by the collector: word 1 = payload words
T_GLOBALS = 8     # one module's globals (permanent): word 1 = slots, 8 bytes each
T_BOXI = 9        # an int in an erased (R) slot: word 1 = 1, word 2 = the int
T_BOXF = 10       # a float in an erased slot: word 1 = 1, word 2 = the float (D view)
T_BOXZ = 11       # a bool in an erased slot: word 1 = 1, word 2 = 0 or 1
T_ANY = 12        # no block has it: the type code of `R` (any reference) where a
                  # record names a type by number (an array's element type)
T_RARR = 13       # R[]: an array of erased values (Java's Object[]): 8 bytes per
                  # element, a reference; fixed, so natives build one without the linker
BOX_TIDS = (T_BOXI, T_BOXF, T_BOXZ)
BOX_KIND = {"I": T_BOXI, "F": T_BOXF, "Z": T_BOXZ}
BOX_WORDS = 3     # a box: header + one word
FIRST_CLASS_ID = 16   # linker-assigned type ids start here (classes, arrays, ...)

STRING_TIDS = (T_STR8, T_STR32)
# Arrays whose type id is fixed, by element descriptor (any other element
# type's array id is the linker's: hllvm/typeids.py).
ARRAY_KIND = {"I": T_IARR, "F": T_FARR, "Z": T_ZARR, "S": T_SARR, "R": T_RARR}
# The primitive arrays' ids are the three below T_SARR: every type id above
# T_ZARR that an array has is an array of references (XALOAD tells the
# kinds apart by that one comparison; a test checks the order).
FIXED_ARRAY_TIDS = (T_IARR, T_FARR, T_ZARR, T_SARR, T_RARR)
# The type code of a primitive or string element, as array records name it:
# an int element is what an int box is, a string one either string kind
# (T_STR8 standing for both).
ELEMENT_CODE = {"I": T_BOXI, "F": T_BOXF, "Z": T_BOXZ, "S": T_STR8, "R": T_ANY}

# --- the header ----------------------------------------------------------------------
HEADER_WORDS = 2
HEADER_BYTES = HEADER_WORDS * 8
LENGTH_WORD = 1          # word 1 of a block: its length
TYPE_MASK = 0xFFFFFFFF   # word 0: type id; the high 32 bits are the GC's
LENGTH_MASK = 0xFFFFFFFF  # word 1: length; the high 32 bits an identity hash
HASH_SHIFT = 32          # word 1 >> HASH_SHIFT: the identity hash (instances, function values)
MAX_HASH = (1 << 31) - 1  # identity hashes are 1..MAX_HASH (0: not assigned)
# No array or string is longer than this (the heap refuses the block:
# OutOfMemoryError), so a length always fits below the hash bits.
MAX_LENGTH = LENGTH_MASK
GC_FORWARDED = 1 << 32   # (during a collection) copied: word 1 = the new address
GC_MARKED = 1 << 33      # (during a collection) a large block found live
RESERVED_WORDS = 2       # words 0 and 1: the null block

# --- pages ---------------------------------------------------------------------------
PAGE_SHIFT = 9                     # words per page = 1 << PAGE_SHIFT
PAGE_WORDS = 1 << PAGE_SHIFT       # 512 words = 4 KiB, the OS page
PAGE_BYTES = PAGE_WORDS * 8
# Blocks of at least this many words (16 KiB) get pages of their own and are
# never copied: copying them would cost more than the fragmentation they
# cause, and a to-space run wastes less than this at its end.
LARGE_WORDS = 2048

# Page kinds (the heap's page map, one byte per page).
P_FREE = 0        # zero, unused
P_SMALL = 1       # part of a run of small blocks (the copying space)
P_LARGE = 2       # first page of a large block
P_LARGE_TAIL = 3  # the rest of a large block
P_PERM = 4        # part of a run of permanent blocks


# --- sizes -----------------------------------------------------------------------------
def array_type_id(elem: str) -> int:
    """Fixed type id of an array whose element descriptor is `elem`: int,
    float, bool, string or R.  Any other element type's array id is assigned
    by the linker (the type operand's `TypeRef.array_tid`, or
    `VM.types.array_tid(desc)`): ValueError here."""
    tid = ARRAY_KIND.get(elem)
    if tid is None:
        raise ValueError(f"an array of {elem} has a linker-assigned type id (TypeRef.array_tid), not a fixed one")
    return tid


def payload_words(tid: int, length: int) -> int:
    """Words after the header of a block with this type id and length."""
    if tid == T_STR8 or tid == T_ZARR:
        return (length + 7) >> 3
    if tid == T_STR32:
        return (length + 1) >> 1
    return length        # int/float/ref arrays, objects, function values, boxes, globals, filler


def block_words(tid: int, word1: int) -> int:
    """Words of a whole block (header included), from its type id and its
    word 1 (whose identity-hash bits, if any, are masked off here)."""
    return HEADER_WORDS + payload_words(tid, word1 & LENGTH_MASK)


def instance_words(nfields: int) -> int:
    return HEADER_WORDS + nfields


def string_words(n: int, wide: bool) -> int:
    return HEADER_WORDS + ((n + 1) >> 1 if wide else (n + 7) >> 3)


# --- addresses ---------------------------------------------------------------------------
def field_offset(slot: int) -> int:
    """Word offset of field slot `slot` from its instance's address (also of
    global slot `slot` from its module's globals block)."""
    return HEADER_WORDS + slot


def payload_word(ref: int) -> int:
    """Word index of the first payload word of the block at `ref`."""
    return ref + HEADER_WORDS


def payload_byte(ref: int) -> int:
    """Byte offset of the first payload byte of the block at `ref`."""
    return (ref + HEADER_WORDS) << 3


def payload_u32(ref: int) -> int:
    """Index (in uint32 units) of the first payload uint32 of the block at `ref`."""
    return (ref + HEADER_WORDS) << 1


def ir_constants() -> dict[str, int]:
    """The layout as named integers, for code written in LLVM IR (the
    collector's trace loop, compiled code): substituted into its text."""
    return {name: value for name, value in globals().items()
            if name.isupper() and isinstance(value, int) and not isinstance(value, bool)}
