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
    c = sub.add_parser("classroom", help="the same app, opened on the classroom: teams compete as firms of one market, "
                                         "each from its own browser, with join codes")
    c.add_argument("--db", type=Path, required=True, metavar="PATH",
                   help="the game database (SQLite; created if missing): every change is kept, a restart resumes")
    c.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})")
    c.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help=f"language the page starts in (default {DEFAULT_LANG})")
    c.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 lets the teams' "
                        "laptops connect, and then creating a game needs the server code printed at the start)")
    c.set_defaults(func=run_classroom, customers=None)


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


def configure(lang: str = "es", customers: int | None = None, start: str = "") -> dict[str, str]:
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
        "LEALTAD_VIZ_START": start,                # "classroom": the page opens on the classroom tab
    }
    if customers is not None:
        env["LEALTAD_VIZ_CUSTOMERS"] = str(customers)
    os.environ.update(env)
    return env


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def run_classroom(args) -> int:
    """`lealtad classroom`: the app on its classroom tab, its games kept in the database ``--db``."""
    from ..classroom.game import new_code, shown_code
    from ..classroom.lobby import Lobby
    from ..classroom.store import Store, StoreError

    try:
        lobby = Lobby(Store(args.db), create_code=None if args.host in LOOPBACK else new_code(10))
    except StoreError as exc:
        raise UserError(str(exc)) from None
    print(f"lealtad classroom: {len(lobby.games)} game(s) in {args.db}", flush=True)
    if lobby.create_code:
        print(f"lealtad classroom: server code (to create or open a game): {shown_code(lobby.create_code)}", flush=True)
    return run(args, lobby=lobby, start="classroom")


def run(args, lobby=None, start: str = "") -> int:
    import importlib.util

    if importlib.util.find_spec("solara") is None or importlib.util.find_spec("uvicorn") is None:
        raise UserError("the visualisation needs Solara: pip install 'lealtad[viz]'")
    if args.customers is not None:
        from ..params import PARAMETERS

        PARAMETERS["n_customers"].coerce(args.customers)  # a ParameterError is printed cleanly
    configure(args.lang, args.customers, start)  # before Solara is imported: it reads its settings once
    import solara.server.starlette
    import uvicorn

    from . import classroom
    from ..classroom.game import new_code, shown_code
    from ..classroom.lobby import Lobby
    from .plot import add_route

    if lobby is None:  # `lealtad viz`: games in memory; open to a network, only with the server code
        lobby = Lobby(create_code=None if args.host in LOOPBACK else new_code(10))
        if lobby.create_code:
            print(f"lealtad viz: server code (to create or open a classroom game): {shown_code(lobby.create_code)}",
                  flush=True)
    classroom.use_lobby(lobby)
    lobby.run_clock()

    server = solara.server.starlette.app
    add_route(server)  # plotly.js, from the plotly package

    with socket.socket() as s:  # a clear message instead of uvicorn's traceback when the port is taken
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a port just freed is fine
        try:
            s.bind((args.host, args.port))
        except OSError as exc:
            raise UserError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}; try --port with another number")
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    print(f"lealtad {args.command}: open http://{shown}:{args.port}/ in a web browser (Ctrl-C to stop)", flush=True)
    if args.host not in LOOPBACK:
        print(f"lealtad {args.command}: listening on {args.host}: other computers on this network can connect at "
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
