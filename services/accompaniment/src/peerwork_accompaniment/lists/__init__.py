"""The accompaniment's lists of accompaniments and training sessions (``peerwork_common.lists``)."""
