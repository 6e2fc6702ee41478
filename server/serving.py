"""Run the service under gunicorn: one line logged per request, graceful stop on SIGTERM."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class Server(BaseApplication):
    """gunicorn with the application built once in the master, before any worker starts."""

    def __init__(self, app, options: dict):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def _start_executors(worker):
    # Each worker opens its own handle on the data (a store's files are not shared through a
    # fork) and starts its own query executors, before taking requests.
    worker.wsgi.extensions["eurasia_kg.dataset"].after_fork()
    worker.wsgi.extensions["eurasia_kg.pool"].start()


def _stop_executors(server, worker):
    pool = getattr(worker, "wsgi", None)
    if pool is not None:
        pool.extensions["eurasia_kg.pool"].close()


def serve(app, *, host: str, port: int, workers: int, threads: int, timeout: float) -> None:
    """Serve app until SIGTERM or SIGINT."""
    Server(app, {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        # gunicorn's own watchdog only catches a wedged worker; queries are stopped by the
        # executor pool at `timeout`, well before this.
        "timeout": int(timeout) + 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
        "limit_request_line": 0,   # the application answers 414 itself, with a message
        "preload_app": True,
        "post_worker_init": _start_executors,
        "worker_exit": _stop_executors,
    }).run()
