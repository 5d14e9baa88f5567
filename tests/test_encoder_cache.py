"""The general sentence encoder loads its optimized graph from the user's cache:
same vectors as the packaged model, and a cache that cannot be written or is
damaged never stops it from loading."""

from __future__ import annotations

import numpy as np

from coach.analysis.encoder import Encoder

TEXTS = ["What did the outage cost you?", "Our platform halves downtime.", "", "ok"]


def test_the_cached_graph_gives_the_same_vectors_and_is_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_CACHE", str(tmp_path / "cache"))
    first = Encoder().encode(TEXTS)  # builds the cache
    (cached,) = (tmp_path / "cache" / "models").glob("minilm-*.onnx")
    assert not list(cached.parent.glob(".*.tmp"))
    stamp = cached.stat().st_mtime_ns
    again = Encoder().encode(TEXTS)  # reads it
    assert cached.stat().st_mtime_ns == stamp
    np.testing.assert_allclose(again, first, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(again, axis=1), 1.0, atol=1e-5)


def test_a_damaged_cache_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_CACHE", str(tmp_path))
    want = Encoder().encode(TEXTS)
    (cached,) = (tmp_path / "models").glob("minilm-*.onnx")
    cached.write_bytes(b"not a model")
    np.testing.assert_allclose(Encoder().encode(TEXTS), want, atol=1e-6)
    assert cached.stat().st_size > 1_000_000


def test_an_unwritable_cache_falls_back_to_the_packaged_model(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would go")
    monkeypatch.setenv("COACH_CACHE", str(blocker))
    vecs = Encoder().encode(TEXTS)
    assert vecs.shape == (4, 384)
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_a_failure_to_write_the_graph_falls_back_to_the_packaged_model(tmp_path, monkeypatch):
    import coach.analysis.encoder as E

    real = E._session

    def failing(path, threads, *, save_optimized=None):
        if save_optimized is not None:
            raise RuntimeError("No space left on device")
        return real(path, threads)

    monkeypatch.setattr(E, "_session", failing)
    monkeypatch.setenv("COACH_CACHE", str(tmp_path))
    assert Encoder().encode(TEXTS).shape == (4, 384)
    assert not list((tmp_path / "models").glob("*"))
