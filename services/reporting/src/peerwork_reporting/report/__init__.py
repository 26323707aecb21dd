"""The annual report and its chart, made of the public figures (``reads.statistics``)."""
