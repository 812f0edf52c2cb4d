"""dondoc: the composition root."""
