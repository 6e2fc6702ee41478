"""The application factory: what it builds once and keeps for every worker."""

import atexit
import os

from eurasia_kg.server.app import DEFAULTS, load_served


def test_a_forked_worker_that_exits_keeps_the_executors_data(app):
    # Regression: gunicorn forks its workers from the master after create_app. A worker
    # inherited the master's atexit handler, so one worker exiting deleted the N-Quads file
    # that every executor (re)loads, and the next executor restart failed.
    path = app.extensions["eurasia_kg.dataset"].nquads
    pid = os.fork()
    if pid == 0:  # the "worker": exit the way Python does, running atexit handlers
        try:
            atexit._run_exitfuncs()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert path.exists()


def test_the_version_changes_with_the_data_and_only_then(tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> a <https://w3id.org/eurasia-kg/ontology#Idea> ; "
                    "<http://www.w3.org/2000/01/rdf-schema#label> \"a\"@en .\n", encoding="utf-8")
    config = dict(DEFAULTS, DATA_FILES=[str(data)])
    first, again = load_served(config), load_served(config)
    assert first.version == again.version
    data.write_text(data.read_text(encoding="utf-8").replace('"a"@en', '"b"@en'), encoding="utf-8")
    assert load_served(config).version != first.version
