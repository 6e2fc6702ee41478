"""Where the served dataset lives: built in memory, a built store on disk (here), or a remote
SPARQL store (server.remote.source). Each gives the pages the same things: see sources.base."""
