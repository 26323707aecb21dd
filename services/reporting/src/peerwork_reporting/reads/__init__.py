"""Views into figures: rows read from a snapshot at the end of a day (``*_reads``), and the
figures computed from them and protected for publication (``*_statistics``). Pure: they
import no driver, only ``ports``."""
