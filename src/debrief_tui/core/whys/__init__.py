"""whys."""
