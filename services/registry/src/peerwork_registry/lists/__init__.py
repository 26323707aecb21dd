"""The registry's lists of structures and peer workers (``peerwork_common.lists``)."""
