#!/usr/bin/env python3
"""Reject unsafe C library calls in src/: strcpy, strcat, sprintf, vsprintf, gets,
atoi, atol, strtok, sscanf. Each has a bounded or checked alternative (snprintf,
lf_buf, strtol with end checks)."""
import pathlib
import re
import sys

BANNED = ["strcpy", "strcat", "sprintf", "vsprintf", "gets", "atoi", "atol", "atoll",
          "strtok", "sscanf"]
pat = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(BANNED) + r")\s*\(")
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")
bad = 0
for p in sorted(root.rglob("*.[ch]")):
    for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        code = line.split("//")[0]
        if pat.search(code):
            print(f"{p}:{n}: banned function: {line.strip()}")
            bad += 1
print(f"checked {root}: {bad} banned calls")
sys.exit(1 if bad else 0)
