"""Say clearly when the dashboard's port is taken, before ``make run`` builds anything.

``python scripts/check_port.py PORT [HOST]`` exits 0 when HOST:PORT (default 127.0.0.1) can be
listened on; otherwise it prints one line naming a free port to use instead (``make run
PORT=8502``) and exits 1. Without it, Streamlit fails after the store is built, deep in a make
error, with no hint.
"""

from __future__ import annotations

import socket
import sys


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when a server could listen on host:port now (same socket options as Tornado/uvicorn)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR as servers set it: a port in TIME_WAIT is free, a listening one is not.
        if sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
            sock.listen(1)
        except OSError:
            return False
    return True


def next_free_port(port: int, host: str = "127.0.0.1", tries: int = 50) -> int | None:
    """The first free port after ``port`` (None if the next ``tries`` are all taken)."""
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        if port_is_free(candidate, host):
            return candidate
    return None


def main(argv: list[str]) -> int:
    """Exit code 0 if the port is free, 1 (with a hint) if taken, 2 for a bad argument."""
    try:
        port = int(argv[0])
        if not 0 < port < 65536:
            raise ValueError
    except (IndexError, ValueError):
        print(
            f"PORT must be a number from 1 to 65535, not {argv[0][:20]!r}"
            if argv
            else "usage: python scripts/check_port.py PORT [HOST]",
            file=sys.stderr,
        )
        return 2
    host = argv[1] if len(argv) > 1 else "127.0.0.1"
    if port_is_free(port, host):
        return 0
    spare = next_free_port(port, host)
    hint = f"make run PORT={spare}" if spare else "make run PORT=<a free port>"
    print(
        f"Port {port} on {host} is already in use (another dashboard or program is listening "
        f"there). Stop it, or serve on another port: {hint}",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
