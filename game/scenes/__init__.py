"""Scenes: turn input into core calls and choose what the view draws."""
