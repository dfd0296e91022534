#!/usr/bin/env python3
"""Checks a speedscope file against the fields its file-format schema requires
(https://www.speedscope.app/file-format-schema.json): $schema, shared.frames[].name, and per
"sampled" profile name, unit, startValue, endValue, samples (frame indices) and weights of the
same length. Usage: check_speedscope.py FILE MIN_PROFILES."""
import json
import sys

UNITS = {"none", "nanoseconds", "microseconds", "milliseconds", "seconds", "bytes"}


def fail(msg):
    print("speedscope check: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    doc = json.load(open(sys.argv[1]))
    want = int(sys.argv[2])
    if doc.get("$schema") != "https://www.speedscope.app/file-format-schema.json":
        fail("$schema is not speedscope's")
    frames = doc.get("shared", {}).get("frames")
    if not isinstance(frames, list) or not frames:
        fail("no shared.frames")
    for f in frames:
        if not isinstance(f.get("name"), str):
            fail("a frame without a name")
    profiles = doc.get("profiles")
    if not isinstance(profiles, list) or len(profiles) < want:
        fail("%s profiles, expected at least %d" % (len(profiles or []), want))
    for p in profiles:
        if p.get("type") != "sampled":
            fail("profile type %r" % p.get("type"))
        for key in ("name", "unit", "startValue", "endValue", "samples", "weights"):
            if key not in p:
                fail("profile without %s" % key)
        if p["unit"] not in UNITS:
            fail("unit %r" % p["unit"])
        if len(p["samples"]) != len(p["weights"]) or not p["samples"]:
            fail("samples and weights differ in length (or are empty)")
        if not p["startValue"] <= p["endValue"]:
            fail("startValue after endValue")
        for s in p["samples"]:
            if not all(isinstance(i, int) and 0 <= i < len(frames) for i in s):
                fail("a sample's frame index is out of range")
    ai = doc.get("activeProfileIndex", 0)
    if not 0 <= ai < len(profiles):
        fail("activeProfileIndex out of range")
    print("speedscope check: %d frames, %d profiles" % (len(frames), len(profiles)))


main()
