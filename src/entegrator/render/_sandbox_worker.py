"""Child-process side of the embedded-XSLT sandbox; run as ``python -m`` by :mod:`.embedded`.

Reads one request from stdin — a JSON header line (sizes and limits), then the stylesheet and
the document bytes — sets resource limits on itself, checks the stylesheet again, applies it
with every file and network access denied, and writes the serialized result to stdout. Exit
codes: 0 done, 3 refused, 4 failed, 5 output too large; details go to stderr.
"""

from __future__ import annotations

import json
import resource
import sys

from lxml import etree

from entegrator.errors import EntegratorError
from entegrator.render.config import SandboxLimits
from entegrator.render.embedded import EXIT_FAILED, EXIT_TOO_LARGE, EXIT_UNSAFE, check_stylesheet
from entegrator.ubl import xml


def _limit_self(memory: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # no file may grow: nothing gets written
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _describe(exc: etree.LxmlError) -> str:
    """libxslt's own messages (lxml's exception text is often just "unknown error")."""
    messages = dict.fromkeys(entry.message.strip() for entry in exc.error_log)
    return "; ".join(list(messages)[:3]) or str(exc) or type(exc).__name__


def main() -> int:
    """Serve one request from stdin; return the exit code."""
    stdin = sys.stdin.buffer
    header = json.loads(stdin.readline())
    stylesheet = stdin.read(int(header["stylesheet"]))
    document = stdin.read(int(header["document"]))
    _limit_self(int(header["memory"]), int(header["cpu"]))
    limits = SandboxLimits(max_stylesheet_bytes=len(stylesheet) + 1)
    try:
        style_root = check_stylesheet(stylesheet, limits)
        doc_root = xml.parse(document)
    except EntegratorError as exc:
        sys.stderr.write(exc.message)
        return EXIT_UNSAFE
    try:
        transform = etree.XSLT(
            style_root, access_control=etree.XSLTAccessControl.DENY_ALL, regexp=False
        )
        output = bytes(transform(doc_root))
    except (etree.XSLTError, etree.XPathError) as exc:
        sys.stderr.write(_describe(exc))
        return EXIT_FAILED
    except MemoryError:
        sys.stderr.write("bellek sınırı aşıldı")
        return EXIT_FAILED
    if len(output) > int(header["max_output"]):
        return EXIT_TOO_LARGE
    sys.stdout.buffer.write(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
