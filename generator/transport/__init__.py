"""Public transport: the GTFS feeds a territory puts in ``directory/transport/`` (`feed`), and
the stops and lines within walking distance of a place (`nearby`)."""
