"""Workbench: learn why a neural network trains badly by making it happen and watching."""

__version__ = "0.1.0"
