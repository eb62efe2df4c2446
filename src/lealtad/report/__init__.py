"""Reports of finished experiments: ``lealtad report results/NAME/``.

One self-contained HTML file (plotly.js inline, so it opens offline) with, for the company:
a sentence per scenario on the headline output with its paired 95% confidence interval, a table and
a chart of every scenario's paired difference against the baseline, each kept output's trajectory per
scenario (mean and 95% band), sweep response curves, and sensitivity indices where the design allows
(Sobol or Morris). Figures can also be exported as PNG or SVG for slides (kaleido, optional).
"""

from .build import Report, build_report, export_figures, write_report

__all__ = ["Report", "build_report", "write_report", "export_figures"]
