import pytest


@pytest.fixture
def cache(tmp_path_factory, monkeypatch):
    """A private cache directory (HL_CACHE_DIR) and no HL_PATH."""
    d = tmp_path_factory.mktemp("hlcache")
    monkeypatch.setenv("HL_CACHE_DIR", str(d))
    monkeypatch.delenv("HL_PATH", raising=False)
    return d
