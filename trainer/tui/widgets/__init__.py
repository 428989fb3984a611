"""Widgets of the trainee's app."""
