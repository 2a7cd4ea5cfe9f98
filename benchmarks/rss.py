"""Peak resident memory of this process, as the kernel counts it."""

from __future__ import annotations

from pathlib import Path


def peak_rss_mb() -> float:
    """VmHWM of /proc/self/status in MB.

    Not ``ru_maxrss``: Linux carries a parent's peak across fork + exec into the child's
    ``ru_maxrss``, so every step launched by run.py would report run.py's own peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
