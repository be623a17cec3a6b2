from __future__ import annotations

HEADER = "kind,subject,subject_code,size_class,decision,decided_on,field,holder,note,source\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()
