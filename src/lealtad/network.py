"""The customers' social network: built (or loaded) once with networkx, then kept as CSR arrays
(Starsim's design) so that word of mouth costs only as much as the people who talk."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .kernels import spread
from .params import NETWORKS, ParameterError


class SocialNetwork:
    """Undirected, weighted contacts between the ``n`` people of the market (nodes 0..n-1)."""

    def __init__(self, n: int, csr: sp.csr_array | None):
        self.n = n
        self.csr = csr  # None means the complete graph, handled without storing n^2 edges
        if csr is None:
            self.degree = np.full(n, float(n - 1))
        else:
            self.degree = np.asarray(csr.sum(axis=1), dtype=np.float64).ravel()

    @property
    def is_complete(self) -> bool:
        return self.csr is None

    def tell(self, speakers: np.ndarray, columns: np.ndarray, values: np.ndarray, n_columns: int) -> np.ndarray:
        """Sum, for every listener, the ``values`` their neighbours say, one column per topic."""
        out = np.zeros((self.n, n_columns))
        if speakers.size == 0:
            return out
        if self.csr is None:  # everyone hears everyone else
            totals = np.bincount(columns, weights=values, minlength=n_columns)
            out += totals
            np.subtract.at(out, (speakers, columns), values)
            return out
        spread(self.csr.indptr, self.csr.indices, self.csr.data, speakers, columns, values, out)
        return out

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
    """Build the network named ``kind`` (see params.NETWORKS) over ``n`` people."""
    if kind not in NETWORKS:
        raise ParameterError(f"parameter 'network': {kind!r} is not allowed; expected one of {', '.join(NETWORKS)}")
    if kind == "complete":
        return SocialNetwork(n, None)
    if kind == "file":
        return SocialNetwork(n, _csr(load(path, n), n))
    k = max(1, min(degree, n - 1))
    if kind == "small_world":
        g = nx.watts_strogatz_graph(n, max(2, k), rewiring, seed=seed) if n > 2 else nx.complete_graph(n)
    elif kind == "scale_free":
        g = nx.barabasi_albert_graph(n, max(1, min(k // 2, n - 1)), seed=seed)
    else:  # random
        g = nx.fast_gnp_random_graph(n, k / max(1, n - 1), seed=seed)
    return SocialNetwork(n, _csr(g, n))


def _csr(g: nx.Graph, n: int) -> sp.csr_array:
    a = nx.to_scipy_sparse_array(g, nodelist=range(n), weight="weight", format="csr", dtype=np.float64)
    a = a.maximum(a.T).tocsr()  # undirected: a tie works both ways
    a.sort_indices()
    return a


def load(path: str, n: int) -> nx.Graph:
    """Read an edge list (two node labels and an optional weight per line) or a GraphML file.
    Node labels are mapped, in sorted order, onto people 0..n-1; the file must not have more nodes."""
    p = Path(path)
    if not p.is_file():
        raise ParameterError(f"parameter 'network_file': {path!r} does not exist or is not a file")
    try:
        if p.suffix.lower() in (".graphml", ".xml"):
            g = nx.read_graphml(p)
        else:
            g = nx.read_weighted_edgelist(p, delimiter="," if p.suffix.lower() == ".csv" else None) \
                if _has_weights(p) else nx.read_edgelist(p, delimiter="," if p.suffix.lower() == ".csv" else None)
    except Exception as exc:  # networkx raises many kinds of errors on malformed files
        raise ParameterError(f"parameter 'network_file': cannot read {path!r} as a graph ({exc})") from None
    g = nx.Graph(g)
    if g.number_of_nodes() > n:
        raise ParameterError(f"parameter 'network_file': {path!r} has {g.number_of_nodes()} nodes, "
                             f"more than n_customers = {n}")
    try:
        order = sorted(g.nodes, key=lambda x: (0, int(x)) if str(x).lstrip("-").isdigit() else (1, str(x)))
    except ValueError:
        order = sorted(g.nodes, key=str)
    g = nx.relabel_nodes(g, {old: i for i, old in enumerate(order)})
    for _, _, d in g.edges(data=True):
        d["weight"] = float(d.get("weight", 1.0))
    g.add_nodes_from(range(n))
    return g


def _has_weights(p: Path) -> bool:
    for line in p.read_text(errors="replace").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return len(line.replace(",", " ").split()) >= 3
    return False
