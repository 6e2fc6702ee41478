"""The eurasia-kg web service and command: SPARQL 1.1 endpoint, pages, validation, dataset
description. The application is made by server.app.create_app; the README's "Architecture"
section draws the modules and how a query and a page request travel through them.

Nothing is imported here: the query executors import server.query only, without Flask.
"""
