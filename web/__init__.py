"""The web surfaces of the checker: the only package that imports Flask (graph/ never does)."""
