#!/usr/bin/env python3
"""The nftables blocklist lianfang writes is checked by the real nft (Debian's nftables):
`lianfang isac blocklist` of a bundle whose indicator names IPv4, a CIDR, IPv6, a domain and
a URL, then `nft -c -f` (parse and check, nothing applied). The plain lists hold exactly the
values. Skips (77) when nft is missing or the machine refuses nft's netlink check."""
import os
import shutil
import subprocess
import sys
import tempfile

from lfharness import Checks

BIN = sys.argv[1]
FX = os.environ.get("LF_FIXTURES", os.path.join(os.path.dirname(__file__), "..", "fixtures"))
check = Checks()
nft = shutil.which("nft") or ("/usr/sbin/nft" if os.path.exists("/usr/sbin/nft") else None)
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "out")
    p = subprocess.run([BIN, "--data", os.path.join(d, "data"), "isac", "blocklist",
                        os.path.join(FX, "isac", "blocklist-bundle.json"), "--out", out],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "isac blocklist runs", p.stdout + p.stderr)
    read = lambda n: open(os.path.join(out, n)).read().split()
    check(read("ip.txt") == ["198.51.100.7", "203.0.113.0/24", "2001:db8::1"], "ip.txt", read("ip.txt"))
    check(read("domain.txt") == ["evil.example"], "domain.txt", read("domain.txt"))
    # external dynamic lists (PAN-OS EDL, FortiGate) take URLs without the scheme
    check(read("url.txt") == ["evil.example/x"], "url.txt", read("url.txt"))
    if not nft:
        print("skip: no nft (Debian package nftables) to check the set file", file=sys.stderr)
        sys.exit(1 if check.failures else 77)
    c = subprocess.run([nft, "-c", "-f", os.path.join(out, "blocklist.nft")], capture_output=True, text=True,
                       timeout=60)
    if c.returncode != 0 and any(w in c.stderr for w in ("Operation not permitted", "Permission denied",
                                                         "Netlink", "netlink")):
        print("skip: nft cannot check here: " + c.stderr.strip(), file=sys.stderr)
        sys.exit(1 if check.failures else 77)
    check(c.returncode == 0, "nft -c accepts the blocklist set file", c.stderr)
check.finish()
