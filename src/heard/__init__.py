"""Heard: customer-discovery interviews, from plan to decision."""

__version__ = "0.1.0"
