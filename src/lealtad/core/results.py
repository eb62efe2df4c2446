"""The results store: every daily output, one value per firm, in one numpy array.

Modules write today's values through ``today`` (output name -> a view of one value per firm);
the CLI, Mesa's DataCollector, the app, the reports and validation all read the same store.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


class Results:
    def __init__(self, outputs: tuple[str, ...], firms: tuple[str, ...], capacity: int = 64):
        self.outputs, self.firms = tuple(outputs), tuple(firms)
        self.index = {name: k for k, name in enumerate(self.outputs)}
        self.days = 0
        self._data = np.full((capacity, len(outputs), len(firms)), np.nan)
        # today's values are written here and stored when the next day opens or the store is read:
        # the views are made once, not one per output every day
        self._row = np.zeros((len(outputs), len(firms)))
        self.today: dict[str, np.ndarray] = {name: self._row[k] for name, k in self.index.items()}
        self._rows: dict[tuple[str, ...], np.ndarray] = {}

    def begin_day(self) -> dict[str, np.ndarray]:
        """Open a row for the next day (zeros) and return its views by output name."""
        self._store_today()
        if self.days == self._data.shape[0]:
            grown = np.full((2 * self.days, *self._data.shape[1:]), np.nan)
            grown[:self.days] = self._data
            self._data = grown
        self._row[:] = 0.0
        self.days += 1
        return self.today

    def _store_today(self) -> None:
        if self.days:
            self._data[self.days - 1] = self._row

    def row(self) -> np.ndarray:
        """Today's values, shaped (outputs, firms): for a module that writes many outputs at once."""
        return self._row

    def rows(self, names: tuple[str, ...]) -> np.ndarray:
        """Where these outputs are in `row()` (looked up once: a module asks every day)."""
        if names not in self._rows:
            self._rows[names] = np.array([self.index[name] for name in names])
        return self._rows[names]

    def array(self, name: str) -> np.ndarray:
        """One output over the days so far, shaped (days, firms)."""
        self._store_today()
        return self._data[:self.days, self.index[name]]

    def frame(self) -> pd.DataFrame:
        """Tidy table: one row per day and firm (in the market's firm order), every output."""
        self._store_today()
        data = self._data[:self.days]  # (days, outputs, firms)
        rows = np.moveaxis(data, 2, 1).reshape(-1, len(self.outputs))  # day-major, then firm
        df = pd.DataFrame(rows, columns=list(self.outputs))
        df.insert(0, "firm", np.tile(np.array(self.firms, dtype=object), self.days))
        df.insert(0, "day", np.repeat(np.arange(self.days), len(self.firms)))
        return df
