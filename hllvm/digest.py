"""SHA-256 as CPython implements it itself, for the caches' keys and
checksums (the native-code cache here, the compile cache in hl/cache.py).

`hashlib`'s would load OpenSSL, which costs a cached run more (some 2 ms)
than hashing its few inputs saves.  It owns nothing else.
"""

try:
    from _sha2 import sha256                        # CPython 3.12+
except ImportError:
    try:
        from _sha256 import sha256                  # CPython 3.11
    except ImportError:
        from hashlib import sha256

__all__ = ["sha256"]
