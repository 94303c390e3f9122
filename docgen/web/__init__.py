"""`docgen serve`: the office's cases in a browser — a second face beside docgen/cli over the same use cases
(docgen/usecases). See docgen/web/app.py for how the app is put together and how a page module is written."""
