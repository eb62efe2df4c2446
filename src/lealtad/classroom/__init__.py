"""The classroom game, without any user interface: teams compete as firms of one simulated market.

In the tradition of management flight simulators (MIT's People Express; Sterman 1988): each quarter
(91 days) every team changes a few of its firm's policies within a budget; when the teacher closes
the quarter (or its deadline passes) the one shared market runs with every team's decisions, and the
chain's delays mean a decision shows mostly in later quarters. Since every team plays in the same
market from the same seed, the ranking compares them fairly, and the debrief replays the whole run.

- ``game``   the rules: set-up, teams, join codes, decisions, closing a quarter, the ranking, files
- ``store``  the game kept in an embedded SQLite database (WAL) at every change, and replayed from it
- ``lobby``  the server's door: every action is checked against its code; wrong codes are slowed

The pages that show a game (teacher, team, join) live in ``lealtad.viz.classroom``.
"""
