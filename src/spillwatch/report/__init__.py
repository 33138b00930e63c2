"""The self-contained HTML report and the plotly figures it shares with the web dashboard.

``figures/`` holds one module per topic of pure functions ``data -> plotly Figure``;
``sections/`` holds one module per report section (``build(ctx) -> Section | None``);
``html.py`` assembles them into one HTML file with plotly.js inlined (no CDN, works offline).
"""
