#!/usr/bin/env python3
"""Converts the NANDO disease lists (DBCLS, CC-BY 4.0) into disease_master.tsv.

Usage: convert_nando.py <nando folder> > disease_master.tsv
One row per NANDO entry: the disease itself (subtype "") or a named subtype /
sub-name listed under the same number. 指定難病 are keyed by 告示番号,
小児慢性特定疾病 by (疾患群, 番号): the number restarts in each group.
"""
import json
import sys
from pathlib import Path

NOTICE = "nanbyo=333 diseases; shoman=15 groups (NANDO snapshot 9af59ee, 2024-07-23)"


def clean(text):
    return (text or "").replace("\t", " ").replace("\n", " ").strip()


def main(folder):
    folder = Path(folder)
    nanbyo = json.loads((folder / "nanbyo.json").read_text(encoding="utf-8"))
    nanbyo_class = {c["id"]: c for c in json.loads((folder / "nanbyo_class.json").read_text(encoding="utf-8"))}
    shoman = json.loads((folder / "shoman.json").read_text(encoding="utf-8"))
    shoman_class = {c["id"]: c for c in json.loads((folder / "shoman_class.json").read_text(encoding="utf-8"))}
    out = sys.stdout
    out.write("# disease master converted from NANDO (Nanbyo Disease Ontology) by DBCLS, CC-BY 4.0\n")
    out.write("# source: https://github.com/aidrd/nando commit 9af59ee (2024-07-23)\n")
    out.write("# version: nando-9af59ee-2024-07-23\n")
    out.write(f"# notice: {NOTICE}\n")
    out.write("kind\tgroup\tgroup_name\tnumber\tnando_id\tsubtype\tname_ja\tname_en\tdefined_by\n")
    for e in nanbyo:
        group = e["class_id"]
        sub = "" if e["id"] == e["notification_no"] else e["id"]
        out.write("\t".join(["nanbyo", group, clean(nanbyo_class[group]["name_ja"]), e["notification_no"],
                             e["id"], sub, clean(e["name_ja"]), clean(e["name_en"]),
                             clean(e["is_defined_by"])]) + "\n")
    for e in shoman:
        group = e["class_id"].split("-")[0]
        sub = e["id"] if "-" in e["id"] else ""
        out.write("\t".join(["shoman", group, clean(shoman_class[group]["name_ja"]), e["notification_no"],
                             e["id"], sub, clean(e["name_ja"]), clean(e["name_en"]),
                             clean(e["is_defined_by"])]) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
