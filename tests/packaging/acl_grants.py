#!/usr/bin/env python3
"""Exits 0 when PATH's access ACL grants group GID exactly PERMS and its default ACL
(what files created in it get) DEFAULT_PERMS.

usage: acl_grants.py PATH GID PERMS DEFAULT_PERMS   (like r-x r--; DEFAULT_PERMS "none" for a file)

Reads the POSIX ACL xattrs directly (no getfacl in the test's root): version 2,
then 8-byte entries of tag (u16), permissions (u16) and id (u32), little endian.
"""
import os
import struct
import sys

ACL_GROUP = 0x08


def group_perms(path, attribute, gid):
    try:
        raw = os.getxattr(path, attribute)
    except OSError as e:
        sys.exit(f"{path}: no {attribute} ({e.strerror})")
    for offset in range(4, len(raw), 8):
        tag, perm, ident = struct.unpack_from("<HHI", raw, offset)
        if tag == ACL_GROUP and ident == gid:
            return "".join(c if perm & bit else "-" for c, bit in (("r", 4), ("w", 2), ("x", 1)))
    return None


path, gid = sys.argv[1], int(sys.argv[2])
for attribute, want in (("system.posix_acl_access", sys.argv[3]),
                        ("system.posix_acl_default", sys.argv[4])):
    if want == "none":
        continue
    got = group_perms(path, attribute, gid)
    if got != want:
        sys.exit(f"{path}: {attribute} grants group {gid} {got}, not {want}")
print(f"{path}: group {gid} has {sys.argv[3]}, the files created in it {sys.argv[4]}")
