"""The terminal UI: the app, screens, dialogs and widgets. It calls the core, never SQL."""
