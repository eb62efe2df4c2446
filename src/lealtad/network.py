"""The customers' social network: built (or loaded) once with networkx, then kept as CSR arrays
(Starsim's design) so that word of mouth costs only as much as the people who talk."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .kernels import spread
from .core.schema import ParameterError
from .limits import check_network

NETWORKS = ("small_world", "scale_free", "random", "complete", "file")


class SocialNetwork:
    """Undirected, weighted contacts between the ``n`` people of the market (nodes 0..n-1)."""

    def __init__(self, n: int, csr: sp.csr_array | None):
        self.n = n
        self.csr = csr  # None means the complete graph, handled without storing n^2 edges
        if csr is None:
            self.degree = np.full(n, float(n - 1))
        else:
            self.degree = np.asarray(csr.sum(axis=1), dtype=np.float64).ravel()
        self.everyone = np.arange(n)
        self._heard: tuple[np.ndarray | None, np.ndarray] = (None, self.everyone)  # the last ``out`` and its rows heard
        self._marked = np.zeros(n, dtype=np.bool_)
        self._everyone_hears = np.ones(n, dtype=np.bool_)

    @property
    def is_complete(self) -> bool:
        return self.csr is None

    def tell(self, speakers: np.ndarray, firms: np.ndarray, messages: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Fill ``out`` (people x firms x 4) with what each person's contacts say today: speaker k
        adds its four message values ``messages[k]`` (times the tie's weight) to ``out[j, f]`` of
        every contact j, f being ``firms[k]``, the firm it talks about. ``out`` is overwritten (it
        is reused to spare memory: when it is the same array as last time, only the rows then heard
        are cleared). Returns the people who heard something (rows of ``out`` that may be non-zero)."""
        if self.csr is None:  # everyone hears everyone else
            out.fill(0.0)
            if speakers.size:
                said = np.zeros(out.shape[1:])
                np.add.at(said, firms, messages)
                out += said
                np.subtract.at(out, (speakers, firms), messages)
            self._heard = (out, self.everyone)
            return self.everyone
        last, heard_before = self._heard
        if out is not last:  # an array this network did not fill: every row is cleared
            out.fill(0.0)
            self._marked[:] = False
            heard_before = self.everyone[:0]
        heard = spread(self.csr.indptr, self.csr.indices, self.csr.data, speakers, firms, messages, out,
                       heard_before, self._marked)
        self._heard = (out, heard)
        return heard

    def has_news(self, out: np.ndarray) -> np.ndarray:
        """Who may have a non-zero row in ``out``: the people who heard something when `tell` last
        filled it (everyone, for an array it did not fill or on the complete graph)."""
        if out is self._heard[0] and self.csr is not None:
            return self._marked
        return self._everyone_hears

    def edges(self, limit: int | None = None, seed: int = 0) -> np.ndarray:
        """Edge list (u < v) for drawing, sampled down to ``limit`` edges if given."""
        if self.csr is None:
            rng = np.random.default_rng(seed)
            m = min(limit or 10 * self.n, self.n * (self.n - 1) // 2)
            u, v = rng.integers(0, self.n, m), rng.integers(0, self.n, m)
            keep = u < v
            return np.column_stack([u[keep], v[keep]])
        coo = sp.triu(self.csr, k=1).tocoo()
        e = np.column_stack([coo.row, coo.col])
        if limit is not None and len(e) > limit:
            e = e[np.random.default_rng(seed).choice(len(e), limit, replace=False)]
        return e

    def to_networkx(self, nodes: np.ndarray | None = None) -> nx.Graph:
        g = nx.Graph()
        g.add_nodes_from(range(self.n) if nodes is None else nodes.tolist())
        e = self.edges()
        if nodes is not None:
            keep = np.isin(e[:, 0], nodes) & np.isin(e[:, 1], nodes)
            e = e[keep]
        g.add_edges_from(e.tolist())
        return g


def build(kind: str, n: int, degree: int, rewiring: float, seed: int, path: str = "") -> SocialNetwork:
    """Build the network named ``kind`` (see NETWORKS) over ``n`` people.

    The generators are vectorised versions of the classical ones, so that a million people take
    seconds, not the hours and gigabytes of a networkx graph object:
    small_world is Watts & Strogatz (1998), random is Erdos-Renyi G(n, m), scale_free is Chung & Lu
    (2002) with expected degrees falling as rank^-1/2, the degree law P(k) ~ k^-3 of Barabasi & Albert (1999).
    """
    if kind not in NETWORKS:
        raise ParameterError(f"parameter 'network': {kind!r} is not allowed; expected one of {', '.join(NETWORKS)}")
    if kind == "complete":
        return SocialNetwork(n, None)
    check_network({"n_customers": n, "network": kind, "network_degree": degree, "network_file": path})
    if kind == "file":
        return SocialNetwork(n, _csr_from_graph(load(path, n), n))
    rng = np.random.default_rng([seed, 0x6E6574])  # the network's own stream
    k = max(1, min(degree, n - 1))
    if kind == "small_world":
        half = max(1, k // 2)
        u = np.repeat(np.arange(n), half)
        v = (u + np.tile(np.arange(1, half + 1), n)) % n
        rewire = rng.random(u.size) < rewiring
        v[rewire] = rng.integers(0, n, rewire.sum())
    elif kind == "scale_free":
        weight = 1.0 / np.sqrt(np.arange(1, n + 1))
        m = n * k // 2
        u, v = rng.choice(n, m, p=weight / weight.sum()), rng.choice(n, m, p=weight / weight.sum())
    else:  # random
        m = n * k // 2
        u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    return SocialNetwork(n, _csr_from_edges(u, v, np.ones(u.size), n))


def _csr_from_edges(u, v, w, n) -> sp.csr_array:
    """Symmetric CSR adjacency without self-loops; an unweighted tie drawn twice is one tie."""
    keep = u != v
    u, v, w = u[keep], v[keep], w[keep]
    a = sp.coo_array((w, (np.minimum(u, v), np.maximum(u, v))), shape=(n, n)).tocsr()  # sums repeats
    if np.all(w == 1):
        a.data[:] = 1.0
    a = (a + a.T).tocsr()
    a.sort_indices()
    if a.nnz < 2**31:  # 32-bit indices: half the memory traffic when word of mouth walks the ties
        a = sp.csr_array((a.data, a.indices.astype(np.int32), a.indptr.astype(np.int32)), shape=(n, n))
    return a


def _csr_from_graph(g: nx.Graph, n: int) -> sp.csr_array:
    edges = np.array([(a, b, d.get("weight", 1.0)) for a, b, d in g.edges(data=True)], dtype=float).reshape(-1, 3)
    return _csr_from_edges(edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64), edges[:, 2], n)


def load(path: str, n: int) -> nx.Graph:
    """Read an edge list (two node labels and an optional weight per line) or a GraphML file.
    Whole-number labels are people's numbers and must lie in 0..n-1; other labels are given the
    numbers left free, in sorted order. Weights must be finite and above 0. Each error names the
    file and, where it has one, the line."""
    p = Path(path)
    if not p.is_file():
        raise ParameterError(f"parameter 'network_file': {path!r} does not exist or is not a file")
    graphml = p.suffix.lower() in (".graphml", ".xml")
    delimiter = "," if p.suffix.lower() == ".csv" else None
    line = None if graphml else _first_bad_line(p, delimiter)
    if line:  # networkx skips some such lines without a word
        raise ParameterError(f"parameter 'network_file': {p}:{line}: expected two node labels and an optional "
                             "weight on each line")
    try:
        if graphml:
            g = nx.read_graphml(p)
        else:
            g = nx.read_weighted_edgelist(p, delimiter=delimiter) if _has_weights(p) \
                else nx.read_edgelist(p, delimiter=delimiter)
    except Exception as exc:  # networkx raises many kinds of errors on malformed files
        raise ParameterError(f"parameter 'network_file': {p}: cannot read {path!r} as a graph ({exc})") from None
    g = nx.Graph(g)
    if g.number_of_nodes() > n:
        raise ParameterError(f"parameter 'network_file': {path!r} has {g.number_of_nodes()} nodes, "
                             f"more than n_customers = {n}")
    numbered = {x: int(x) for x in g.nodes if str(x).lstrip("-").isdigit()}
    for label, person in numbered.items():
        if not 0 <= person < n:
            raise ParameterError(f"parameter 'network_file': {_at(p, graphml, label)}: node {label} is out of range; "
                                 f"expected people 0 to {n - 1} (n_customers = {n}), or labels that are not numbers")
    for a, b, d in g.edges(data=True):
        weight = d.get("weight", 1.0)
        try:
            d["weight"] = float(weight)
        except (TypeError, ValueError):
            d["weight"] = float("nan")
        if not (np.isfinite(d["weight"]) and d["weight"] > 0):
            raise ParameterError(f"parameter 'network_file': {_at(p, graphml, a, b)}: weight {weight!r} of the tie "
                                 f"{a}-{b} is not allowed; expected a finite number above 0")
    taken = set(numbered.values())
    free = (i for i in range(n) if i not in taken)
    others = sorted((x for x in g.nodes if x not in numbered), key=str)
    g = nx.relabel_nodes(g, {**numbered, **dict(zip(others, free))})
    g.add_nodes_from(range(n))
    return g


def _at(p: Path, graphml: bool, a, b=None) -> str:
    """'file:line' of the first line naming node ``a`` (or the tie a-b); just 'file' if none does."""
    a, b = str(a), None if b is None else str(b)
    with p.open(errors="replace") as f:
        for number, line in enumerate(f, 1):
            if graphml:
                ends = set(re.findall(r'(?:source|target)="([^"]*)"', line))
                found = (b is None and f'id="{a}"' in line and "<node" in line) or ends == {a, b or a}
            else:
                tokens = line.split("#")[0].replace(",", " ").split()[:2]
                found = (a in tokens) if b is None else sorted(tokens) == sorted([a, b])
            if found:
                return f"{p}:{number}"
    return str(p)


def _first_bad_line(p: Path, delimiter: str | None) -> int | None:
    """The number of the first line of an edge list that is not two labels and an optional number."""
    with p.open(errors="replace") as f:
        for number, line in enumerate(f, 1):
            tokens = line.split("#")[0].strip().split(delimiter)
            if not tokens or tokens == [""]:
                continue
            if len(tokens) not in (2, 3) or (len(tokens) == 3 and not _is_number(tokens[2])):
                return number
    return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _has_weights(p: Path) -> bool:
    for line in p.read_text(errors="replace").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return len(line.replace(",", " ").split()) >= 3
    return False
