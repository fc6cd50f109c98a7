"""Assembly (.S) files.  The rules of this release read C only; assembly files are read and
checked for bad input so that every file of the scope is accounted for."""

from __future__ import annotations

from hvlint.facts import FileFacts


def extract_asm(path: str, data: bytes) -> FileFacts:
    return FileFacts(path=path, lang="asm", size=len(data))
