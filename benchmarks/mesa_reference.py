"""A plain per-agent Mesa implementation of lealtad's word-of-mouth and satisfaction update,
written only to measure how much the array design gains. Each customer is a Mesa agent with a
Python list of contacts; every day each one may talk (telling each contact its opinion), then each
one folds what it heard into its image and drifts its satisfaction toward it."""

import mesa

from lealtad.network import build


class PlainCustomer(mesa.Agent):
    def __init__(self, model, contacts):
        super().__init__(model)
        self.contacts = contacts
        self.satisfaction = 0.7
        self.image = 0.5
        self.heard_sum = 0.0
        self.heard_count = 0

    def talk(self):
        p_talk = 0.1 if self.satisfaction < 0.65 else 0.06 if self.satisfaction >= 0.85 else 0.01
        if self.random.random() < p_talk:
            for other in self.contacts:
                other.heard_sum += self.satisfaction
                other.heard_count += 1

    def listen(self):
        if self.heard_count:
            self.image = (5 * self.image + self.heard_sum) / (5 + self.heard_count)
            self.heard_sum, self.heard_count = 0.0, 0
        self.satisfaction = 0.7 * self.satisfaction + 0.3 * min(1.0, max(0.0, self.image + self.random.gauss(0, 0.1)))


class PlainModel(mesa.Model):
    def __init__(self, n, seed=1):
        super().__init__(rng=seed)
        csr = build("small_world", n, 10, 0.1, seed).csr
        agents = [PlainCustomer(self, None) for _ in range(n)]
        for i, a in enumerate(agents):
            a.contacts = [agents[j] for j in csr.indices[csr.indptr[i]:csr.indptr[i + 1]]]
        self.customers = self.agents_by_type[PlainCustomer]

    def step(self):
        self.customers.shuffle_do("talk")
        self.customers.do("listen")


def rate(n=10_000, steps=10) -> float:
    """Customer-steps per second of the plain Mesa model (its median step, as for lealtad's update)."""
    import time

    model = PlainModel(n)
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        model.step()
        times.append(time.perf_counter() - start)
    return n / sorted(times)[len(times) // 2]


if __name__ == "__main__":
    print(f"{rate():,.0f} customer-steps/s")
