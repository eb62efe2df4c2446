"""What every room of the package shares with the user: the error that becomes one line and exit
status 2, and the one way outputs are written (checked before any work, then atomically)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class UserError(Exception):
    """A problem with what the user asked for: printed as one line, exit status 2."""


def check_outputs(paths: dict[str, Path | None], suffixes: tuple[str, ...]):
    """Refuse output paths before any work is done: each writable (see check_writable), no two the same."""
    seen: dict[Path, str] = {}
    for option, path in paths.items():
        if path is None:
            continue
        check_writable(path, suffixes)
        key = path.resolve()
        if key in seen:
            raise UserError(f"{seen[key]} and {option} are both {str(path)!r}; give each a file of its own")
        seen[key] = option


def check_writable(path: Path, suffixes: tuple[str, ...]):
    """Refuse an output path before any work is done: wrong type, or a folder that cannot take it.
    A file is created and removed in the folder, because permissions alone do not tell (a read-only
    file system, or root, who passes every permission check)."""
    if path.suffix.lower() not in suffixes:
        raise UserError(f"output {str(path)!r}: unsupported file type {path.suffix or '(none)'!r}; "
                        f"use one of {', '.join(suffixes)}")
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UserError(f"output {str(path)!r} is a folder; give a file name")
    if not folder.exists():
        raise UserError(f"output {str(path)!r}: folder {str(folder)!r} does not exist")
    try:
        fd, probe = tempfile.mkstemp(prefix=".partial-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UserError(f"output {str(path)!r}: not writable ({exc.strerror or exc})") from None
    if path.exists() and not os.access(path, os.W_OK):
        raise UserError(f"output {str(path)!r}: not writable")


def write_table(df, path: Path):
    """Write CSV or Parquet atomically: to a temporary file first, so no partial file is left."""
    write_tables([(df, path)])


def write_tables(tables: list[tuple[object, Path]]):
    """Write several tables (CSV or Parquet) all or none: each goes to a temporary file beside its
    path, and only when every one is written are they moved into place. An OSError names the user's
    file, not the temporary one, and leaves no file of this call behind."""
    umask = os.umask(0)
    os.umask(umask)
    written: list[tuple[str, Path]] = []
    try:
        for df, path in tables:
            fd, tmp = tempfile.mkstemp(prefix=".partial-", suffix=path.suffix, dir=path.parent if str(path.parent) else ".")
            os.close(fd)
            written.append((tmp, path))
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes owner-only files; outputs are ordinary files
            try:
                if path.suffix.lower() == ".parquet":
                    df.to_parquet(tmp, index=False)
                else:
                    df.to_csv(tmp, index=False)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
        for tmp, path in written:
            os.replace(tmp, path)
    finally:
        for tmp, _ in written:
            Path(tmp).unlink(missing_ok=True)
