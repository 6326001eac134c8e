"""Specs layer: load bundled or user specs, compile LAP to OpenAPI 3.1, apply overlays, lint."""
