"""The headers that keep browsers safe with this service: what a page may load, run and embed.

Every script, style sheet and image a page uses is served by the service itself (YASGUI and
vis-network are vendored in static/vendor/), and no page holds an inline script, style or
event handler, so the policy allows nothing but the service's own files, and the few style
elements the two libraries write themselves, by the hash of their text. A page may not be
framed (clickjacking), a response may not be read as another type than it says (nosniff), and
no address of this service, which may hold a query, is sent to other sites as a Referer.
"""

from __future__ import annotations

from flask import Response

#: The <style> elements the vendored libraries add to a page, by the SHA-256 of their text
#: (what Chromium names in a violation; tests/test_browser.py fails on any violation).
LIBRARY_STYLES = (
    # vis-network-10.1.5.min.js: its seven style sheets, each added as an empty element first.
    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",  # the empty element
    "OutIf5hnp68ctx4ThtV5J02g5HTJ5bbu/hkNfqVXWWo=", "4cgFR0//m8/eHo2G/esYsuZetUHlzCUWYM59sfgE9zY=",
    "uepMTym1NwItBa/XV6ef6fQobLL0A0CNVDM5km5L+nQ=", "gGUn/VMBXCeWm86qX/pOf+4ZDSbe0JcaXXb4rJjw1mA=",
    "QuPewnJYr+SnQiTnCNHFBw99ExTsz9f8w5320PimEPw=", "IY7YKNHjbzQ1NfAKrBZvBZohgXMtxrqB9PaqhAaT3vg=",
    "QE7TOEDW7YIlMzvUUnm8boDWeNBN7PBbaaYJjnp34WI=",
    # yasgui-4.6.2.min.js: the resizable columns of its result table, and its cursor while a
    # column is dragged ("*{cursor:col-resize!important}").
    "zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=", "c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg=",
)
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "style-src 'self' " + " ".join(f"'sha256-{digest}'" for digest in LIBRARY_STYLES),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    """Add the security headers to a response (every one: a policy costs a JSON answer nothing)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
