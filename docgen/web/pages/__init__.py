"""The web app's pages: one module per page group, each exposing `ROUTES` (found by docgen.web.app)."""
