"""parallax: lay several news outlets' accounts of one event side by side, claim by claim."""

__version__ = "0.1.0"
