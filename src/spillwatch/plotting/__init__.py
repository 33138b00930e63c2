"""Plotly figures shared by the HTML report and the dashboard: one module per topic."""
