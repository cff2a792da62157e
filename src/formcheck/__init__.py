"""formcheck: camera-based form checking for back-spasm rehabilitation exercises."""

__version__ = "0.1.0"
