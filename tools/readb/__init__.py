"""readb: the REA INVEST database's step runner."""
