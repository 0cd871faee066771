"""Document embeddings for BERTopic, with an on-disk cache.

Backends (``backend=`` everywhere in this package):

- ``"tfidf-svd"`` (default): TF-IDF with the multilingual tokenizer, TruncatedSVD, L2 normalisation —
  BERTopic's documented scikit-learn backend. Fast, deterministic, no torch: used by CI and the report.
- ``"st:<path or name>"``: a sentence-transformers model loaded from a local folder or an installed
  weights package, imported lazily with ``HF_HUB_OFFLINE=1`` (nothing reaches the network).

Fitted TF-IDF/SVD state is stored as safetensors + JSON (no pickles), both in the cache and beside a
saved topic model, so a reloaded model embeds new tweets exactly as the fitted one did.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from bertopic.backend import BaseEmbedder

from .. import cpu
from ..paths import DATA_DIR, resolve
from .tokenize import Tokenizer

DEFAULT_BACKEND = "tfidf-svd"


def text_hash(texts: Sequence[str], *parts: object) -> str:
    """A short stable hash of a list of texts and any configuration parts."""
    h = hashlib.sha256()
    for p in parts:
        h.update(repr(p).encode())
        h.update(b"\x1f")
    for t in texts:
        h.update(t.encode("utf-8", "surrogatepass"))
        h.update(b"\x1e")
    return h.hexdigest()[:24]


def cache_dir(work_dir: str | Path = DATA_DIR) -> Path:
    return resolve(work_dir) / "cache" / "embeddings"


class SvdEmbedder(BaseEmbedder):
    """TF-IDF (multilingual tokenizer) -> TruncatedSVD -> L2 normalisation."""

    def __init__(self, n_components: int = 100, min_df: int = 2, seed: int = 2020, tokenizer: Tokenizer | None = None):
        super().__init__()
        self.n_components, self.min_df, self.seed = n_components, min_df, seed
        self.tokenizer = tokenizer or Tokenizer()
        self.vocabulary: dict[str, int] | None = None
        self.idf: np.ndarray | None = None
        self.components: np.ndarray | None = None

    def config(self) -> dict:
        return {"backend": "tfidf-svd", "n_components": self.n_components, "min_df": self.min_df,
                "seed": self.seed, "tokenizer": repr(self.tokenizer)}

    def _vectorizer(self):
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(tokenizer=self.tokenizer, lowercase=False, token_pattern=None,
                               min_df=self.min_df, sublinear_tf=True, dtype=np.float64)

    def fit(self, documents: Sequence[str]) -> SvdEmbedder:
        from sklearn.decomposition import TruncatedSVD

        min_df = self.min_df if len(documents) >= 10 * self.min_df else 1  # tiny corpora (tests)
        vec = self._vectorizer().set_params(min_df=min_df)
        x = vec.fit_transform(list(documents))
        k = max(1, min(self.n_components, x.shape[1] - 1, x.shape[0] - 1))
        svd = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=7, random_state=self.seed).fit(x)
        self.vocabulary = {t: int(i) for t, i in sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])}
        self.idf = np.ascontiguousarray(vec.idf_, dtype=np.float64)
        self.components = np.ascontiguousarray(svd.components_, dtype=np.float64)
        return self

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        if self.components is None:
            raise RuntimeError("SvdEmbedder is not fitted")
        vec = self._vectorizer()
        vec.vocabulary_, vec.idf_ = self.vocabulary, self.idf
        y = np.asarray(vec.transform(list(documents)) @ self.components.T)
        norms = np.linalg.norm(y, axis=1, keepdims=True)
        return (y / np.where(norms > 0, norms, 1.0)).astype(np.float32)

    # --- persistence (safetensors + json, no pickles) ---
    def save(self, folder: Path) -> None:
        import safetensors.numpy

        folder.mkdir(parents=True, exist_ok=True)
        arrays = {"idf": self.idf, "components": self.components}  # safetensors needs C-contiguous buffers
        safetensors.numpy.save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()},
                                    folder / "embedder.safetensors")
        (folder / "embedder.json").write_text(
            json.dumps({"config": self.config(), "languages": list(self.tokenizer.languages),
                        "vocabulary": self.vocabulary}, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> SvdEmbedder:
        import safetensors.numpy

        meta = json.loads((folder / "embedder.json").read_text(encoding="utf-8"))
        cfg = meta["config"]
        emb = cls(cfg["n_components"], cfg["min_df"], cfg["seed"], Tokenizer(meta["languages"]))
        arrays = safetensors.numpy.load_file(folder / "embedder.safetensors")
        emb.vocabulary, emb.idf, emb.components = meta["vocabulary"], arrays["idf"], arrays["components"]
        return emb


class SentenceEmbedder(BaseEmbedder):
    """A sentence-transformers model from a local path / installed package; torch imported lazily."""

    def __init__(self, model: str, batch_size: int = 64):
        super().__init__()
        self.model_name, self.batch_size, self._model = model, batch_size, None

    def config(self) -> dict:
        return {"backend": "sentence-transformers", "model": self.model_name}

    def fit(self, documents: Sequence[str]) -> SentenceEmbedder:  # pre-trained: nothing to fit
        return self

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        if self._model is None:
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            from sentence_transformers import SentenceTransformer  # optional dependency (torch)

            path = Path(self.model_name)
            self._model = SentenceTransformer(str(path) if path.exists() else self.model_name, device="cpu")
        return self._model.encode(list(documents), batch_size=self.batch_size, show_progress_bar=False,
                                  normalize_embeddings=True, convert_to_numpy=True).astype(np.float32)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "embedder.json").write_text(json.dumps({"config": self.config()}), encoding="utf-8")


def make_embedder(backend: str = DEFAULT_BACKEND, seed: int = 2020, n_components: int = 100,
                  tokenizer: Tokenizer | None = None) -> SvdEmbedder | SentenceEmbedder:
    """An (unfitted) embedder for ``backend`` ("tfidf-svd" or "st:<model path or name>")."""
    if backend == "tfidf-svd":
        return SvdEmbedder(n_components=n_components, seed=seed, tokenizer=tokenizer)
    if backend.startswith("st:"):
        return SentenceEmbedder(backend[3:])
    raise ValueError(f"unknown embedding backend {backend!r}: use 'tfidf-svd' or 'st:<model path>'")


def load_embedder(folder: Path) -> SvdEmbedder | SentenceEmbedder:
    cfg = json.loads((folder / "embedder.json").read_text(encoding="utf-8"))["config"]
    return SvdEmbedder.load(folder) if cfg["backend"] == "tfidf-svd" else SentenceEmbedder(cfg["model"])


def fit_embed(embedder: SvdEmbedder | SentenceEmbedder, fit_docs: Sequence[str],
              cache: Path | None) -> tuple[SvdEmbedder | SentenceEmbedder, np.ndarray, str]:
    """Fit ``embedder`` on ``fit_docs`` and embed them, reusing the on-disk cache.

    Returns the fitted embedder, the embeddings and the cache key (for ``embed_cached``).
    """
    key = text_hash(fit_docs, {**embedder.config(), "cpu": cpu.code_path()})  # floats differ by code path
    folder = cache / key if cache else None
    if folder and (folder / "fit.npy").exists():
        return load_embedder(folder), np.load(folder / "fit.npy"), key
    emb = embedder.fit(fit_docs).embed(fit_docs)
    if folder:
        embedder.save(folder)
        _save_npy(folder / "fit.npy", emb)
    return embedder, emb, key


def embed_cached(embedder: SvdEmbedder | SentenceEmbedder, docs: Sequence[str], key: str,
                 cache: Path | None) -> np.ndarray:
    """Embeddings of ``docs`` by a fitted embedder (identified by its cache ``key``), cached on disk."""
    if not len(docs):
        return np.zeros((0, 1), dtype=np.float32)
    path = cache / key / f"docs-{text_hash(docs)}.npy" if cache else None
    if path and path.exists():
        return np.load(path)
    emb = embedder.embed(docs)
    if path:
        _save_npy(path, emb)
    return emb


def _save_npy(path: Path, array: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npy")
    np.save(tmp, array)
    tmp.replace(path)
