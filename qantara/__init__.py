"""Qantara."""
