"""Evidence that the model reproduces the theory it encodes (issue 5).

One module per family of checks, each function returning `Check` records:

- `verification`: mathematical limits (Bass diffusion, Erlang C queue, sparse networks, weak ties);
- `face_validity`: the service-profit chain moves in its causal order under paired policy changes;
- `stylised_facts`: empirical regularities from the literature, under the default calibration.

`theory` holds the reference formulas, `report` writes the HTML report, `cli` is `lealtad validate`.
"""

from .common import Check

__all__ = ["Check"]
