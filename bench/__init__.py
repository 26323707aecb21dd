"""Benchmark of peerwork's event pipeline against the libraries it is built on.

Run with ``make bench`` (``python -m bench``); see bench/README.md for what it measures.
"""
