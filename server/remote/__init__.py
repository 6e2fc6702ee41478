"""serve --remote and publish: a dataset kept in another SPARQL 1.1 store, read and written over HTTP."""
