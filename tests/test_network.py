"""Network kinds, file loading and the word-of-mouth primitive."""

import networkx as nx
import numpy as np
import pytest

from lealtad import LoyaltyModel, ParameterError
from lealtad.network import build


@pytest.mark.parametrize("kind", ["small_world", "scale_free", "random"])
def test_generated_networks_have_the_requested_mean_degree(kind):
    net = build(kind, 5000, 10, 0.1, seed=1)
    assert abs(net.degree.mean() - 10) < 1.0  # duplicates and self-loops removed cost a little
    a = net.csr
    assert (a != a.T).nnz == 0 and a.diagonal().sum() == 0


def test_scale_free_has_hubs_and_small_world_has_none():
    sf = build("scale_free", 5000, 10, 0.1, seed=1).degree
    sw = build("small_world", 5000, 10, 0.1, seed=1).degree
    assert sf.max() > 5 * sf.mean()
    assert sw.max() < 2 * sw.mean()


def test_small_world_is_clustered_and_random_is_not():
    sw = build("small_world", 2000, 10, 0.1, seed=1).to_networkx()
    rnd = build("random", 2000, 10, 0.1, seed=1).to_networkx()
    assert nx.average_clustering(sw) > 0.3 > 0.05 > nx.average_clustering(rnd)


def test_telling_on_a_complete_graph_reaches_everyone_else():
    net = build("complete", 50, 10, 0.1, seed=1)
    out = np.zeros((50, 3, 4))  # person x firm x (valence, messages, recommendations, warnings)
    # person 3 speaks of the company (0.8, 1 message, a recommendation), 7 of the competitor, 9 of the third firm
    net.tell(np.array([3, 7, 9]), np.array([0, 1, 2]),
             np.array([[0.8, 1, 1, 0], [0.2, 1, 0, 1], [0.6, 1, 0, 0]]), out)
    assert np.allclose(out[0], [[0.8, 1, 1, 0], [0.2, 1, 0, 1], [0.6, 1, 0, 0]])
    assert np.allclose(out[3], [[0, 0, 0, 0], [0.2, 1, 0, 1], [0.6, 1, 0, 0]])  # nobody hears themselves
    assert np.allclose(out[7], [[0.8, 1, 1, 0], [0, 0, 0, 0], [0.6, 1, 0, 0]])
    sparse = build("small_world", 50, 4, 0.0, seed=1)
    out = np.zeros((50, 2, 4))
    heard = sparse.tell(np.array([10]), np.array([1]), np.array([[0.5, 1, 0, 0]]), out)
    assert set(np.flatnonzero(out[:, 1, 0])) == {8, 9, 11, 12} == set(heard)  # it says who heard something
    assert set(np.flatnonzero(sparse.has_news(out))) == {8, 9, 11, 12} and sparse.has_news(np.zeros_like(out)).all()
    assert np.allclose(out[9], [[0, 0, 0, 0], [0.5, 1, 0, 0]])
    sparse.tell(np.array([20]), np.array([0]), np.array([[0.3, 1, 0, 0]]), out)
    assert set(np.flatnonzero(out[:, :, 1].sum(axis=1))) == {18, 19, 21, 22}  # only today's listeners: yesterday's are cleared
    assert sparse.tell(np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.zeros((0, 4)), out).size == 0
    assert not out.any()  # yesterday's news is cleared


def test_edge_list_and_graphml_files(tmp_path):
    g = nx.karate_club_graph()
    edges = tmp_path / "karate.txt"
    nx.write_edgelist(g, edges, data=False)
    graphml = tmp_path / "karate.graphml"
    nx.write_graphml(g, graphml)
    # the edge list carries no weights; GraphML keeps the karate club's interaction counts
    for path, total in ((edges, 2 * g.number_of_edges()), (graphml, 2 * g.size(weight="weight"))):
        m = LoyaltyModel(rng=1, n_customers=40, network="file", network_file=str(path))
        assert m.network.degree[:34].sum() == total
        assert m.network.degree[34:].sum() == 0  # people beyond the file have no contacts
        m.run(5)


def test_weighted_csv_edge_list(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("a,b,2.5\nb,c,0.5\n")
    m = LoyaltyModel(rng=1, n_customers=10, network="file", network_file=str(path))
    assert np.allclose(m.network.degree[:3], [2.5, 3.0, 0.5])


@pytest.mark.parametrize("content, message", [
    ("<graphml><broken", "cannot read"),
    ("1 2 x\n", "g.txt:1: expected two node labels"),
])
def test_malformed_graph_files_are_refused(tmp_path, content, message):
    path = tmp_path / ("g.graphml" if content.startswith("<") else "g.txt")
    path.write_text(content)
    with pytest.raises(ParameterError, match=message):
        LoyaltyModel(rng=1, n_customers=10, network="file", network_file=str(path))


def test_a_graph_larger_than_the_market_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    nx.write_edgelist(nx.path_graph(30), path, data=False)
    with pytest.raises(ParameterError, match="more than n_customers"):
        LoyaltyModel(rng=1, n_customers=20, network="file", network_file=str(path))


# ------------------------------------------------------------------- files that lie, sizes that cannot fit
@pytest.mark.parametrize("name, content, fragments", [
    ("nan.txt", "a b 1\nb c nan\n", ["nan.txt:2", "weight nan", "b-c", "finite number above 0"]),
    ("inf.csv", "a,b,1\nb,c,inf\n", ["inf.csv:2", "weight inf", "finite number above 0"]),
    ("neg.txt", "# a comment\na b -2\n", ["neg.txt:2", "weight -2.0", "finite number above 0"]),
    ("zero.txt", "a b 1\nc d 0\n", ["zero.txt:2", "weight 0.0", "c-d"]),
    ("text.graphml", '<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
     '<key id="w" for="edge" attr.name="weight" attr.type="string"/>\n<graph edgedefault="undirected">\n'
     '<node id="a"/><node id="b"/>\n<edge source="a" target="b"><data key="w">heavy</data></edge>\n'
     '</graph></graphml>\n', ["text.graphml:6", "weight 'heavy'", "a-b"]),
    ("range.txt", "0 1\n1 12\n", ["range.txt:2", "node 12 is out of range", "0 to 9", "n_customers = 10"]),
    ("negative.txt", "0 1\n-1 2\n", ["negative.txt:2", "node -1 is out of range"]),
    ("short.txt", "0 1\n2\n", ["short.txt:2", "two node labels"]),
    ("long.txt", "0 1\n2 3 1.0 4\n", ["long.txt:2", "two node labels"]),
])
def test_bad_weights_and_ids_are_refused_with_file_and_line(tmp_path, name, content, fragments):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ParameterError) as err:
        LoyaltyModel(rng=1, n_customers=10, network="file", network_file=str(path))
    message = str(err.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_numbered_nodes_are_the_people_with_those_numbers(tmp_path):
    path = tmp_path / "ids.txt"
    path.write_text("0 5\n5 9\n")
    degree = LoyaltyModel(rng=1, n_customers=10, network="file", network_file=str(path)).network.degree
    assert list(np.flatnonzero(degree)) == [0, 5, 9] and degree[5] == 2


def test_a_network_that_cannot_fit_is_refused_before_it_is_built():
    from lealtad.limits import LimitError, allowing_large, check_network

    huge = {"n_customers": 5_000_000, "network": "random", "network_degree": 1000, "network_file": ""}
    with pytest.raises(LimitError) as err:
        build("random", 5_000_000, 1000, 0.1, seed=1)  # refused at once, before any array is made
    assert "5,000,000 people x 1,000 contacts" in str(err.value) and "GB" in str(err.value)
    assert "--allow-large" in str(err.value)
    with allowing_large():
        check_network(huge)  # passes on purpose
    with pytest.raises(LimitError):
        check_network(huge)  # and only within the block
