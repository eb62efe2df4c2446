"""Mesa agents as readable views onto the model's arrays.

The model updates everyone together on arrays; these objects show (and let you change) one
employee or one customer, for inspection, teaching and the visualisation.
"""

from __future__ import annotations

from mesa import Agent

from .modules.segments import SEGMENTS


class Employee(Agent):
    """A front-line position. When its holder quits it stays empty for `hiring_delay` days and a
    novice takes it (``hires`` counts the holders so far)."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    firm = property(lambda self: self.model.firms[self.model.emp_firm[self.index]])
    satisfaction = property(lambda self: float(self.model.emp_satisfaction[self.index]))
    skill = property(lambda self: float(self.model.emp_skill[self.index]))
    hires = property(lambda self: int(self.model.emp_hires[self.index]))
    is_open = property(lambda self: bool(self.model.emp_open[self.index]))
    vacant = property(lambda self: bool(self.model.emp_vacant_until[self.index] > self.model.day))

    @satisfaction.setter
    def satisfaction(self, value: float):
        self.model.emp_satisfaction[self.index] = min(1.0, max(0.0, value))

    def __repr__(self):
        state = "vacant" if self.vacant else f"satisfaction={self.satisfaction:.2f} skill={self.skill:.2f}"
        return f"Employee({self.index}, {self.firm}, {state})"


class Customer(Agent):
    """A person in the market: a *prospect*, or active with one of the firms. From the first firm's
    (the company's) side, ``standing`` is 'active', 'potential' (with another firm) or 'prospect';
    ``segment`` is the customer segment the person belongs to ('households', ...)."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    @property
    def firm(self) -> str | None:
        f = int(self.model.firm[self.index])
        return None if f < 0 else self.model.firms[f]

    @property
    def standing(self) -> str:
        f = int(self.model.firm[self.index])
        return "prospect" if f < 0 else "active" if f == 0 else "potential"

    @property
    def segment(self) -> str:
        return SEGMENTS[int(self.model.segment[self.index])]

    satisfaction = property(lambda self: float(self.model.satisfaction[self.index]))
    commitment = property(lambda self: float(self.model.commitment(slice(self.index, self.index + 1))[0]))
    image = property(lambda self: {n: float(self.model.image[self.index, f]) for f, n in enumerate(self.model.firms)})
    purchases = property(lambda self: int(self.model.purchases[self.index]))
    last_quality = property(lambda self: float(self.model.last_quality[self.index]))
    last_wait = property(lambda self: float(self.model.last_wait[self.index]))

    @property
    def contacts(self) -> list[int]:
        net = self.model.network
        if net.is_complete:
            return [j for j in range(net.n) if j != self.index]
        return net.csr.indices[net.csr.indptr[self.index]:net.csr.indptr[self.index + 1]].tolist()

    def __repr__(self):
        return f"Customer({self.index}, {self.standing}, {self.segment}, satisfaction={self.satisfaction:.2f})"
