"""pdca: the open ISO management system."""

__version__ = "0.1.0"
