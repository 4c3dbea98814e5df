"""The domain core: models, store, time parsing and reference data. Imports nothing from Textual."""
