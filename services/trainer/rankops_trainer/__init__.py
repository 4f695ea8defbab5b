"""rankops trainer: multi-task ranking models and the Temporal worker for the "training" task queue."""

__version__ = "0.1.0"
