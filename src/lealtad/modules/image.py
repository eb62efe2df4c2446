"""Image: every image fades toward the prior of a firm nobody has heard of; advertising pulls it
toward the firm's promise."""

from __future__ import annotations

from ..core.plan import Module
from ..core.schema import FIRM, Output, Param
from .management import POLICIES


class Image(Module):
    name = "image"
    summary = "every image fades toward the prior; advertising pulls it toward the promise"
    parameters = (
        Param("promise", 0.7, 0.0, 1.0, "quality 0-1", "Quality the advertising promises; raises image and expectations", POLICIES,
              scope=FIRM),
        Param("image_prior", 0.5, 0.01, 1.0, "0-1", "Image a firm has with people who have heard nothing", "word_of_mouth"),
        Param("image_decay", 0.005, 0.0, 1.0, "per day", "Rate at which images fade back to the prior", "word_of_mouth"),
        Param("ad_persuasion", 20.0, 0.0, 1000.0, "image per unit advertising", "How strongly advertising pulls images to the promise",
              "word_of_mouth"),
    )
    results = (Output("image", "0-1", "Mean image of the firm among everyone in the market"),)

    def step(self, m):
        """I' = (1 - pull)((1 - decay) I + decay prior) + pull promise: fading, then advertising,
        applied as one affine update per firm."""
        p = m.p
        for f in range(m.n_firms):
            pull = min(1.0, p["ad_persuasion"] * m.policy["advertising"][f])
            keep = (1.0 - pull) * (1.0 - p["image_decay"])
            shift = (1.0 - pull) * p["image_decay"] * p["image_prior"] + pull * m.policy["promise"][f]
            column = m.image[:, f]
            column *= keep
            column += shift
            m.today["image"][f] = column.mean()  # one contiguous column: cheaper than image.mean(axis=0)
