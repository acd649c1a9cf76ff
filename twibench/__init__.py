"""twibench: a terminal workbench for the Twilio REST API."""

__version__ = "0.1.0"

__all__ = ["__version__"]
