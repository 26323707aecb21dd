"""Lists and searches of a write service's records: a read model in the service's own
database, fed from its own notification log with the position tracked in the same
transaction as the rows (``view``, ``projection``), caught up before each page is read and
rebuilt from the log at will (``runner``), read a page at a time in keyset order
(``pages``, ``page_api``), searched by folded text or by a keyed blind index (``search``)."""
