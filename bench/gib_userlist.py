"""Write and stream-read a generated GİB user list zip (default 300 000 users).

Prints the XML size, write and read times and the peak RSS of the read. Run by hand:
.venv/bin/python bench/gib_userlist.py [users]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

from entegrator.gib.userlist import (
    DESPATCH_ADVICE,
    INVOICE,
    Alias,
    DocumentAliases,
    User,
    iter_users_zip,
    write_users_zip,
)


def _users(count: int) -> Iterator[User]:
    for i in range(count):
        yield User(f"{1_000_000_000 + i:010d}", f"FİRMA {i} ANONİM ŞİRKETİ", "OZEL",
                   "2021-03-09T15:36:56", "OZELENTEGRASYON", (
                       DocumentAliases(INVOICE, (
                           Alias((f"urn:mail:defaultpk@firma{i}.com.tr",), "2021-03-09T15:36:56"),
                           Alias((f"urn:mail:eskipk@firma{i}.com.tr",), "2020-01-01T00:00:00",
                                 "2021-01-01T00:00:00"))),
                       DocumentAliases(DESPATCH_ADVICE, (
                           Alias((f"urn:mail:irsaliyepk@firma{i}.com.tr",),
                                 "2025-06-30T14:51:42"),)),
                   ))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "newUserPkListxml.zip"
        start = time.perf_counter()
        write_users_zip(_users(count), path, member_name="newUserPkList.xml")
        written = time.perf_counter() - start
        with zipfile.ZipFile(path) as archive:
            xml_size = archive.infolist()[0].file_size
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        seen = sum(1 for _ in iter_users_zip(path))
        read = time.perf_counter() - start
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"users={seen} xml={xml_size / 1e6:.0f} MB zip={path.name}")
    print(f"write {written:.2f} s, read {read:.2f} s ({read / seen * 1e6:.1f} µs/user)")
    print(f"peak RSS before read {rss_before / 1024:.0f} MB, after {rss_after / 1024:.0f} MB")


if __name__ == "__main__":
    main()
