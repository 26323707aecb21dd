"""Views into figures: rows read from a snapshot at the end of a day (``*_reads``), and the
figures computed from them and protected for publication (``*_statistics``; the census's
answers in ``census_figures``, the trainings' protection in ``training_protection``). Pure:
they import no driver, only ``ports``."""
