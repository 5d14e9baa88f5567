"""Trained heads: one logistic regression per label over the turn's feature vector
(sentence embedding, structural features, cue flags, follow-up features). Weights
live in ``models/heads.npz`` (numpy only; no scikit-learn at inference)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class Heads:
    labels: tuple[str, ...]
    W: np.ndarray  # (L, D)
    b: np.ndarray  # (L,)
    mu: np.ndarray  # (D,)
    sd: np.ndarray  # (D,)
    thr: np.ndarray  # (L,)
    feature_names: tuple[str, ...]
    meta: dict
    #: optional hidden layer (MLP heads): x -> relu(x @ W1 + b1) -> (W, b)
    W1: np.ndarray | None = None
    b1: np.ndarray | None = None

    @classmethod
    def load(cls, path: Path) -> "Heads":
        z = np.load(path, allow_pickle=False)
        meta = json.loads(str(z["meta"]))
        return cls(
            labels=tuple(str(x) for x in z["labels"]),
            W=z["W"].astype(np.float32),
            b=z["b"].astype(np.float32),
            mu=z["mu"].astype(np.float32),
            sd=z["sd"].astype(np.float32),
            thr=z["thr"].astype(np.float32),
            feature_names=tuple(str(x) for x in z["feature_names"]),
            meta=meta,
            W1=z["W1"].astype(np.float32) if "W1" in z.files else None,
            b1=z["b1"].astype(np.float32) if "b1" in z.files else None,
        )

    def save(self, path: Path) -> None:
        extra = {}
        if self.W1 is not None:
            extra = {"W1": self.W1, "b1": self.b1}
        np.savez_compressed(
            path, labels=np.array(self.labels), W=self.W, b=self.b, mu=self.mu, sd=self.sd,
            thr=self.thr, feature_names=np.array(self.feature_names),
            meta=np.array(json.dumps(self.meta)), **extra,
        )

    def proba(self, X: np.ndarray) -> np.ndarray:
        """(N, D) features -> (N, L) probabilities."""
        Z = (X - self.mu) / self.sd
        if self.W1 is not None:
            Z = np.maximum(Z @ self.W1 + self.b1, 0.0)
        logits = Z @ self.W.T + self.b
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
