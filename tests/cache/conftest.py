import pytest


@pytest.fixture
def cache(tmp_path_factory, monkeypatch):
    """A private cache directory (HL_CACHE_DIR), no HL_PATH, and a count of
    the programs compiled (`cache.compiled`: a run that compiled nothing
    ran from the cache)."""
    d = tmp_path_factory.mktemp("hlcache")
    monkeypatch.setenv("HL_CACHE_DIR", str(d))
    monkeypatch.delenv("HL_PATH", raising=False)
    import compiler
    real = compiler.compile_program
    counter = Counter(d)

    def counting(*args, **kwargs):
        counter.compiled += 1
        return real(*args, **kwargs)
    monkeypatch.setattr(compiler, "compile_program", counting)
    return counter


class Counter:
    def __init__(self, root):
        self.root = root
        self.compiled = 0
