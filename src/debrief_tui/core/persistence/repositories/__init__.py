"""One repository per feature, each working inside the transaction of a `Unit`."""
