"""A linear text model whose features add up token by token, so judging is fast.

Features of a text (its tokens split on white space):

- **words**: each unigram and bigram occurrence weighs its IDF; the block is divided by
  the square root of the sum of the squared weights of its occurrences (L2 when no
  feature repeats);
- **characters**: each token is the L2-normalised vector of its character 2-5-grams
  (padded with a space on each side, sublinear TF times IDF, as scikit-learn's
  ``char_wb``); the block is the mean of its tokens' vectors.

Both blocks are sums over occurrences divided by a per-text number, so a class score is
``Σ word weights / √Σ idf² + Σ token scores / n``: what each token and bigram adds is
computed once and kept (``_WordEntry``, ``_token``), and a batch is a few dictionary
look-ups per token and some numpy. Training builds the same features as a sparse matrix
(``matrix``) for scikit-learn's logistic regression; a test checks that both give the
same probabilities.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from itertools import chain, pairwise
from operator import is_not
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

CHAR_RANGE = (2, 5)
CHAR_MIN_DF = 2
# Tokens whose scores a model keeps before it starts over (a few tens of MB at most).
_CACHE_LIMIT = 300_000


_known = partial(is_not, None)
# A text as the model reads it: its tokens, or a string of them split on white space.
Text = str | Sequence[str]


def _tokens(text: Text) -> Sequence[str]:
    return text.split() if isinstance(text, str) else text


def char_grams(token: str) -> list[str]:
    """The character n-grams of one token, as scikit-learn's ``char_wb`` makes them."""
    low, high = CHAR_RANGE
    padded = f" {token} "
    size = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        grams.extend(padded[offset : offset + n] for offset in range(max(size - n, 0) + 1))
        if size <= n:  # a short token counts once
            break
    return grams


def word_features(tokens: Sequence[str]) -> Iterable[str]:
    yield from tokens
    yield from map(" ".join, pairwise(tokens))


def _idf(document_frequency: int, documents: int) -> float:
    return math.log((1 + documents) / (1 + document_frequency)) + 1.0


class TextModel:
    """Multinomial logistic regression over the features above, kept as plain data."""

    def __init__(
        self,
        classes: Sequence[str],
        words: Sequence[str],
        words_idf: np.ndarray,
        chars: Sequence[str],
        chars_idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
    ) -> None:
        self.classes = tuple(classes)
        self.word_names = list(words)
        self.words = {name: index for index, name in enumerate(self.word_names)}
        # A bigram "a b" keyed by the unigram indices of a and b (every token of a bigram
        # seen in training is a unigram of the vocabulary too).
        self._bigrams: dict[tuple[Any, Any], int] = {
            (self.words[first], self.words[second]): index
            for index, name in enumerate(self.word_names)
            if " " in name
            for first, second in [name.split(" ")]
            if first in self.words and second in self.words
        }
        self.words_idf = words_idf
        self.char_names = list(chars)
        self.chars = {name: index for index, name in enumerate(self.char_names)}
        self.chars_idf = chars_idf
        self.coef = coef
        self.intercept = intercept
        width = len(self.word_names)
        self._word_coef = coef[:, :width]
        self._char_coef = coef[:, width:]
        self._push: np.ndarray | None = None
        self._tokens: dict[str, int] = {}  # token → its row of _table
        self._table = np.zeros((1024, len(self.classes)))

    # --- training ---------------------------------------------------------------------------

    @classmethod
    def fit(cls, texts: Sequence[Text], labels: Sequence[str], *, c: float) -> TextModel:
        documents = len(texts)
        word_df: Counter[str] = Counter()
        char_df: Counter[str] = Counter()
        for text in texts:
            tokens = _tokens(text)
            word_df.update(set(word_features(tokens)))
            char_df.update({gram for token in set(tokens) for gram in char_grams(token)})
        words = sorted(word_df)
        chars = sorted(gram for gram, df in char_df.items() if df >= CHAR_MIN_DF)
        model = cls(
            ["?"],
            words,
            np.array([_idf(word_df[w], documents) for w in words]),
            chars,
            np.array([_idf(char_df[g], documents) for g in chars]),
            np.zeros((1, len(words) + len(chars))),
            np.zeros(1),
        )
        regression = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
        regression.fit(model.matrix(texts), list(labels))
        coef, intercept = regression.coef_, regression.intercept_
        if len(regression.classes_) == 2:  # one row for two classes: make it one per class
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        return cls(
            [str(label) for label in regression.classes_],
            words,
            model.words_idf,
            chars,
            model.chars_idf,
            coef,
            intercept,
        )

    def _token_vector(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(
            index for index in map(self.chars.get, char_grams(token)) if index is not None
        )
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        indices = np.fromiter(counts, dtype=np.int64, count=len(counts))
        weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.chars_idf[
            indices
        ]
        return indices, weights / np.linalg.norm(weights)

    def matrix(self, texts: Sequence[Text]) -> sp.csr_matrix:
        """The features of ``texts`` as a sparse matrix (training and tests)."""
        rows: list[int] = []
        columns: list[int] = []
        values: list[float] = []
        width = len(self.word_names)
        vectors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for row, text in enumerate(texts):
            tokens = _tokens(text)
            found = [i for i in map(self.words.get, word_features(tokens)) if i is not None]
            if found:
                weights = self.words_idf[found]
                scale = 1.0 / math.sqrt(float(weights @ weights))
                rows.extend([row] * len(found))
                columns.extend(found)
                values.extend((weights * scale).tolist())
            for token in tokens:
                if token not in vectors:
                    vectors[token] = self._token_vector(token)
                indices, weights = vectors[token]
                rows.extend([row] * len(indices))
                columns.extend((indices + width).tolist())
                values.extend((weights / len(tokens)).tolist())
        return sp.csr_matrix(
            (values, (rows, columns)), shape=(len(texts), width + len(self.char_names))
        )

    # --- judging ----------------------------------------------------------------------------

    def _token(self, token: str) -> int:
        """The row of ``_table`` holding what ``token``'s characters add to each class."""
        index = len(self._tokens)
        if index == len(self._table):
            self._table = np.vstack([self._table, np.zeros_like(self._table)])
        indices, weights = self._token_vector(token)
        self._table[index] = self._char_coef[:, indices] @ weights
        self._tokens[token] = index
        return index

    def scores(self, texts: Sequence[Text]) -> tuple[np.ndarray, sp.csr_matrix]:
        """Class scores (before softmax) of ``texts``, and their word features (weighted
        and scaled, one row per text) for explaining them."""
        count = len(texts)
        token_lists = list(map(_tokens, texts))
        # Unigrams by their feature index, bigrams by the pair of those (no joined strings):
        # every step a C-level map.
        unigram, bigram = self.words.get, self._bigrams.get
        per_text: list[list[Any]] = []
        for tokens in token_lists:
            known: list[Any] = list(map(unigram, tokens))
            found: Iterator[Any] = chain(known, map(bigram, pairwise(known)))
            per_text.append(list(filter(_known, found)))
        lengths = np.fromiter(map(len, per_text), dtype=np.int64, count=count)
        columns = np.fromiter(chain.from_iterable(per_text), dtype=np.int64, count=lengths.sum())
        owners = np.repeat(np.arange(count), lengths)
        weights = self.words_idf[columns]
        squares = np.bincount(owners, weights=weights * weights, minlength=count)
        scale = np.divide(1.0, np.sqrt(squares), out=np.zeros(count), where=squares > 0)
        word_matrix = sp.csr_matrix(
            (weights * scale[owners], columns, np.concatenate([[0], np.cumsum(lengths)])),
            shape=(count, len(self.word_names)),
        )
        result = np.asarray(word_matrix @ self._word_coef.T) + self.intercept
        # Characters: what each token adds, looked up (new tokens computed first).
        tokens = list(chain.from_iterable(token_lists))
        new = set(tokens).difference(self._tokens)
        if len(self._tokens) + len(new) > _CACHE_LIMIT:
            self._tokens.clear()
            new = set(tokens)
        for token in new:
            self._token(token)
        rows = np.fromiter(map(self._tokens.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        counts = np.fromiter(map(len, token_lists), dtype=np.int64, count=count)
        owners = np.repeat(np.arange(count), counts)
        per_token = self._table[rows]
        divisor = np.maximum(counts, 1)
        for column in range(len(self.classes)):
            result[:, column] += (
                np.bincount(owners, weights=per_token[:, column], minlength=count) / divisor
            )
        return result, word_matrix

    @staticmethod
    def softmax(scores: np.ndarray) -> np.ndarray:
        shifted = scores - scores.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def proba(self, texts: Sequence[Text]) -> np.ndarray:
        return self.softmax(self.scores(texts)[0])

    def _pushes(self) -> np.ndarray:
        """Per class, how much each word feature favours it over the mean of the others."""
        if self._push is None:
            coef = self._word_coef
            others = (coef.sum(axis=0, keepdims=True) - coef) / max(len(self.classes) - 1, 1)
            self._push = coef - others
        return self._push

    def strongest(
        self, words: sp.csr_matrix, row: int, label: str, count: int = 10
    ) -> list[tuple[str, float]]:
        """The word features of text ``row`` that pushed it most towards ``label``."""
        start, end = words.indptr[row], words.indptr[row + 1]
        indices, values = words.indices[start:end], words.data[start:end]
        if not len(indices):
            return []
        push = values * self._pushes()[self.classes.index(label), indices]
        order = np.argsort(-push)[:count]
        return [(self.word_names[indices[j]], float(push[j])) for j in order if push[j] > 0]

    # --- files ------------------------------------------------------------------------------

    def as_json(self) -> dict[str, Any]:
        return {
            "classes": list(self.classes),
            "words": {"vocabulary": self.word_names, "idf": np.round(self.words_idf, 6).tolist()},
            "chars": {"vocabulary": self.char_names, "idf": np.round(self.chars_idf, 6).tolist()},
            "coef": np.round(self.coef, 6).tolist(),
            "intercept": np.round(self.intercept, 6).tolist(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TextModel:
        return cls(
            data["classes"],
            data["words"]["vocabulary"],
            np.asarray(data["words"]["idf"], dtype=np.float64),
            data["chars"]["vocabulary"],
            np.asarray(data["chars"]["idf"], dtype=np.float64),
            np.asarray(data["coef"], dtype=np.float64),
            np.asarray(data["intercept"], dtype=np.float64),
        )
