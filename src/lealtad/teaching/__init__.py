"""Teaching material built on the simulator: the lessons' scenarios, figures and results tables
(`lealtad lessons`), written for docs/teaching/{es,en}/."""

from .lessons import LESSONS, Lesson, lesson

__all__ = ["LESSONS", "Lesson", "lesson"]
