"""`lealtad viz`: serve the browser app on this machine (127.0.0.1 unless --host says otherwise).

Solara normally loads its JavaScript and CSS from a CDN, so a classroom without internet would get a
blank page. Here Solara acts as its own CDN: it serves the files that the ``solara-assets`` package
installs for the same Solara version (assets proxy on, pointed at that folder); plotly's JavaScript
is served by the app from the installed plotly package (lealtad.viz.plot). Nothing comes from outside.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

from ..io import UserError
from ..locale import DEFAULT_LANG, LANGS, LANGUAGES

DEFAULT_PORT = 8765


def add_parser(sub):
    p = sub.add_parser("viz", help="open the classroom visualisation in a web browser (" + ", ".join(LANGUAGES.values()) + ")")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})")
    p.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG,
                   help=f"language the page starts in (default {DEFAULT_LANG})")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 lets a class connect)")
    p.add_argument("--customers", type=int, default=None, metavar="N",
                   help="people in the simulated market (default 2,000: fast in a browser)")
    p.set_defaults(func=run)


def assets_dir() -> Path:
    """The folder where solara-assets put Solara's browser files (share/solara/cdn)."""
    from importlib import metadata

    try:
        files = metadata.files("solara-assets") or []
    except metadata.PackageNotFoundError:
        files = []
    for f in files:
        parts = Path(str(f)).parts
        if "cdn" in parts and "solara" in parts:
            located = Path(f.locate()).resolve()
            return Path(*located.parts[: located.parts.index("cdn") + 1])
    raise UserError("the visualisation needs solara-assets (Solara's browser files, for use without internet): "
                    "pip install 'lealtad[viz]'")


def configure(lang: str = "es", customers: int | None = None) -> dict[str, str]:
    """Environment for Solara: our app, production mode, files served locally, no telemetry."""
    env = {
        "SOLARA_APP": "lealtad.viz.app",
        "SOLARA_MODE": "production",               # no development checks (they load a page from the web)
        "SOLARA_ASSETS_PROXY": "true",             # serve CDN files from the folder below...
        "SOLARA_ASSETS_PROXY_CACHE_DIR": str(assets_dir()),
        "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",  # ...and never reach out for a missing one
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
        "SOLARA_THEME_LOADER": "plain",
        "SOLARA_THEME_SHOW_BANNER": "false",
        "SOLARA_THEME_TITLE": "lealtad",
        "LEALTAD_VIZ_LANG": lang,
    }
    if customers is not None:
        env["LEALTAD_VIZ_CUSTOMERS"] = str(customers)
    os.environ.update(env)
    return env


def run(args) -> int:
    import importlib.util

    if importlib.util.find_spec("solara") is None or importlib.util.find_spec("uvicorn") is None:
        raise UserError("the visualisation needs Solara: pip install 'lealtad[viz]'")
    if args.customers is not None:
        from ..params import PARAMETERS

        PARAMETERS["n_customers"].coerce(args.customers)  # a ParameterError is printed cleanly
    configure(args.lang, args.customers)  # before Solara is imported: it reads its settings once
    import solara.server.starlette
    import uvicorn

    from .plot import add_route

    server = solara.server.starlette.app
    add_route(server)  # plotly.js, from the plotly package

    with socket.socket() as s:  # a clear message instead of uvicorn's traceback when the port is taken
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a port just freed is fine
        try:
            s.bind((args.host, args.port))
        except OSError as exc:
            raise UserError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}; try --port with another number")
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    print(f"lealtad viz: open http://{shown}:{args.port}/ in a web browser (Ctrl-C to stop)", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"lealtad viz: listening on {args.host}: other computers on this network can connect at "
              f"http://<this computer's address>:{args.port}/ (see `ip addr` or `ipconfig`)", flush=True)
    uvicorn.run(server, host=args.host, port=args.port, log_level="warning")
    return 0


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not allowed; expected a port from 1 to 65535")
    return value


if __name__ == "__main__":
    from ..cli import main

    sys.exit(main(["viz", *sys.argv[1:]]))
