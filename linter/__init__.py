"""hvlint: static analysis of Linux kernel sources (sections, init lifetime, paravirt)."""

__version__ = "0.1.0"
