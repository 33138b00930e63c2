"""Analytics: stress signals and index, connectedness, volatility and risk, event studies."""
