"""The trainee's app: Textual screens that present what the engine says."""
