"""yakbang (약방): an offline medicine advisor for places where there is no doctor."""

__version__ = "0.1.0"
