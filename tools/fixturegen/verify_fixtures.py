#!/usr/bin/env python3
"""Independent check of the tfjava fixtures (Python 3 standard library only).

Decodes every event file under ROOT by hand (TFRecord framing with both masked CRC32C checks, then the
protobuf wire format of tensorflow.Event), without TensorFlow and without the generator's code, and:

  * compares every scalar with the expected.jsonl beside it: run, file, tag, step, kind, field, dtype,
    bits (exact bit pattern for float types), value, and for ints the exact integer ("exact");
  * decodes all six dtypes, bfloat16 (dtype 14) included, from tensor_content or the typed fields
    (float_val, double_val, half_val, int_val, int64_val);
  * reports per run which fields the scalars really sat in, the tensor ranks, which values carried
    SummaryMetadata (and what), and every non-summary event (file_version, source_metadata, session_log).

A tensor counts as a scalar when it has one element and its tag's metadata (from the first value of the
tag in the run that had metadata) names plugin "scalars" or has data_class DATA_CLASS_SCALAR (4 = 1).

Usage: verify_fixtures.py ROOT [--rel-to DIR]      (DIR: what expected.jsonl's "run" is relative to;
                                                    default: ROOT's parent)
Exit status 0 when every directory matches.
"""
import json
import math
import os
import struct
import sys

# ------------------------------------------------------------------ CRC32C (Castagnoli), bitwise table

_T = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _T.append(_c)


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _T[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283  # the CRC-32C check value

# ------------------------------------------------------------------ protobuf wire format


def varint(buf, pos):
    r = s = 0
    while True:
        b = buf[pos]
        pos += 1
        r |= (b & 0x7F) << s
        if not b & 0x80:
            return r, pos
        s += 7


def fields(buf):
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        fno, wt = key >> 3, key & 7
        if wt == 0:
            v, pos = varint(buf, pos)
        elif wt == 1:
            v, pos = buf[pos:pos + 8], pos + 8
        elif wt == 2:
            n, pos = varint(buf, pos)
            v, pos = buf[pos:pos + n], pos + n
        elif wt == 5:
            v, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError("wire type %d" % wt)
        if pos > len(buf):
            raise ValueError("truncated")
        yield fno, wt, v


def s64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def packed(v, wt, width=None):
    """Elements of a repeated scalar field, packed (wt 2) or not."""
    if wt == 2:
        if width:
            return [v[i:i + width] for i in range(0, len(v), width)]
        out, p = [], 0
        while p < len(v):
            x, p = varint(v, p)
            out.append(x)
        return out
    return [v]


DTYPE = {1: "float32", 2: "float64", 3: "int32", 9: "int64", 14: "bfloat16", 19: "float16"}
TYPED = {5: "float_val", 6: "double_val", 7: "int_val", 10: "int64_val", 13: "half_val"}


def tensor(buf):
    t = {"dtype": 0, "dims": [], "present": [], "vals": {}}
    for fno, wt, v in fields(buf):
        if fno == 1:
            t["dtype"] = v
        elif fno == 2:
            for f2, _, v2 in fields(v):
                if f2 == 2:
                    t["dims"].append(next((s64(x) for f3, _, x in fields(v2) if f3 == 1), 0))
        elif fno == 4:
            t["present"].append("tensor_content")
            t["content"] = v
        elif fno in TYPED:
            name = TYPED[fno]
            t["present"].append(name)
            width = {5: 4, 6: 8}.get(fno)
            t["vals"].setdefault(name, []).extend(packed(v, wt, width))
        else:
            t["present"].append("field_%d" % fno)
    return t


def minifloat(bits, eb, mb):
    bias = (1 << (eb - 1)) - 1
    e = (bits >> mb) & ((1 << eb) - 1)
    m = bits & ((1 << mb) - 1)
    sign = -1.0 if bits >> (eb + mb) & 1 else 1.0
    if e == (1 << eb) - 1:
        return sign * math.inf if m == 0 else math.nan
    if e == 0:
        return sign * math.ldexp(m, 1 - bias - mb)
    return sign * math.ldexp(m | (1 << mb), e - bias - mb)


def scalar(t):
    """(value, bits, field, dtype, exact_int) of a one-element tensor, else None."""
    n = 1
    for d in t["dims"]:
        n *= d
    dt = DTYPE.get(t["dtype"])
    if n != 1 or dt is None:
        return None
    width = {"float32": 4, "float64": 8, "int32": 4, "int64": 8, "float16": 2, "bfloat16": 2}[dt]
    if "tensor_content" in t["present"]:
        raw, field = t["content"], "tensor_content"
        if len(raw) != width:
            return None
        u = int.from_bytes(raw, "little")
    else:
        want = {"float32": "float_val", "float64": "double_val", "int32": "int_val", "int64": "int64_val",
                "float16": "half_val", "bfloat16": "half_val"}[dt]
        if not t["vals"].get(want):
            return None
        field = want
        x = t["vals"][want][0]
        if isinstance(x, (bytes, bytearray)):
            u = int.from_bytes(x, "little")
        else:
            u = x & ((1 << (8 * width)) - 1)  # varints of negative int32 are sign-extended to 64 bits
    if dt == "float32":
        return struct.unpack("<f", struct.pack("<I", u))[0], "0x%08x" % u, field, dt, None
    if dt == "float64":
        return struct.unpack("<d", struct.pack("<Q", u))[0], "0x%016x" % u, field, dt, None
    if dt == "float16":
        return minifloat(u, 5, 10), "0x%04x" % u, field, dt, None
    if dt == "bfloat16":
        return minifloat(u, 8, 7), "0x%04x" % u, field, dt, None
    i = u - (1 << (8 * width)) if u >> (8 * width - 1) else u
    return float(i), None, field, dt, i


def metadata(buf):
    md = {"plugin": "", "content": b"", "data_class": 0}
    for fno, _, v in fields(buf):
        if fno == 1:
            for f2, _, v2 in fields(v):
                if f2 == 1:
                    md["plugin"] = v2.decode()
                elif f2 == 2:
                    md["content"] = v2
        elif fno == 4:
            md["data_class"] = v
    return md


def records(path):
    data = open(path, "rb").read()
    pos = 0
    while pos < len(data):
        if pos + 12 > len(data):
            raise ValueError("%s: truncated header at %d" % (path, pos))
        header = data[pos:pos + 8]
        (n,) = struct.unpack("<Q", header)
        if masked(header) != struct.unpack("<I", data[pos + 8:pos + 12])[0]:
            raise ValueError("%s: bad length CRC at %d" % (path, pos))
        if pos + 16 + n > len(data):
            raise ValueError("%s: truncated record at %d" % (path, pos))
        payload = data[pos + 12:pos + 12 + n]
        if masked(payload) != struct.unpack("<I", data[pos + 12 + n:pos + 16 + n])[0]:
            raise ValueError("%s: bad data CRC at %d" % (path, pos))
        yield payload
        pos += 16 + n


def fmt(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def decode_dir(d, run):
    out, report = [], {"records": 0, "events": {}, "fields": {}, "ranks": set(), "metadata": [], "other": []}
    md_by_tag = {}
    last_wall = None
    for f in sorted(x for x in os.listdir(d) if x.startswith("events.out.tfevents.")):
        for payload in records(os.path.join(d, f)):
            report["records"] += 1
            ev = {"step": 0}
            for fno, wt, v in fields(payload):
                if fno == 1:
                    ev["wall"] = struct.unpack("<d", v)[0]
                elif fno == 2:
                    ev["step"] = s64(v)
                elif fno == 3:
                    ev["file_version"] = v.decode()
                elif fno == 5:
                    ev["summary"] = v
                elif fno == 7:
                    sl = {fn: val for fn, _, val in fields(v)}
                    ev["session_log"] = {"status": {0: "UNSPECIFIED", 1: "START", 2: "STOP", 3: "CHECKPOINT"}
                                         .get(sl.get(1, 0)), "checkpoint_path": sl.get(2, b"").decode()}
                elif fno == 10:
                    ev["source_metadata"] = {fn: val for fn, _, val in fields(v)}.get(1, b"").decode()
                else:
                    ev["field_%d" % fno] = True
            kinds = [k for k in ("file_version", "source_metadata", "summary", "session_log") if k in ev] or ["other"]
            for kind in kinds:
                report["events"][kind] = report["events"].get(kind, 0) + 1
            if last_wall is not None and ev.get("wall", 0) < last_wall:
                report["other"].append("wall_time goes back at record %d" % report["records"])
            last_wall = ev.get("wall", last_wall)
            if "summary" not in ev:
                report["other"].append("record %d: step %d %s wall %.3f" % (
                    report["records"], ev["step"], ", ".join("%s=%s" % (k, ev[k]) for k in kinds if k in ev),
                    ev.get("wall", 0.0)))
            if "summary" not in ev:
                continue
            for fno, _, vbuf in fields(ev["summary"]):
                if fno != 1:
                    continue
                val = {}
                for f2, w2, v2 in fields(vbuf):
                    val[f2] = v2
                tag = val.get(1, b"").decode()
                if 9 in val:
                    md = metadata(val[9])
                    md_by_tag.setdefault(tag, md)
                    report["metadata"].append((tag, ev["step"], md["plugin"], md["data_class"], len(md["content"])))
                md = md_by_tag.get(tag)
                rec = {"run": run, "file": f, "tag": tag, "step": ev["step"]}
                if 2 in val:
                    (u,) = struct.unpack("<I", val[2])
                    rec.update(value=fmt(struct.unpack("<f", val[2])[0]), bits="0x%08x" % u, kind="simple_value",
                               field="simple_value", dtype="float32")
                    report["fields"]["simple_value"] = report["fields"].get("simple_value", 0) + 1
                elif 8 in val:
                    t = tensor(val[8])
                    report["ranks"].add(len(t["dims"]))
                    key = "%s:%s" % (DTYPE.get(t["dtype"], t["dtype"]), "+".join(t["present"]))
                    report["fields"][key] = report["fields"].get(key, 0) + 1
                    sc = scalar(t)
                    if sc is None or md is None or not (md["plugin"] == "scalars" or md["data_class"] == 1):
                        report["other"].append("non-scalar value for %r at step %d" % (tag, ev["step"]))
                        continue
                    x, bits, field, dt, exact = sc
                    rec.update(value=fmt(x), bits=bits, kind="tensor", field=field, dtype=dt)
                    if exact is not None:
                        rec["exact"] = str(exact)
                else:
                    report["other"].append("value without simple_value/tensor for %r" % tag)
                    continue
                out.append(rec)
    return out, report


def same(a, b):
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return float(a) == float(b) and math.copysign(1, float(a)) == math.copysign(1, float(b))


def main(argv):
    rel_to = None
    if "--rel-to" in argv:
        i = argv.index("--rel-to")
        rel_to = argv[i + 1]
        del argv[i:i + 2]
    if len(argv) != 1:
        print(__doc__)
        return 2
    root = os.path.abspath(argv[0])
    rel_to = os.path.abspath(rel_to or os.path.dirname(root))
    bad = total = 0
    for d, subdirs, files in sorted(os.walk(root)):
        subdirs.sort()
        if not any(f.startswith("events.out.tfevents.") for f in files):
            continue
        run = os.path.relpath(d, rel_to)
        try:
            got, rep = decode_dir(d, run)
        except (ValueError, IndexError) as e:
            print("BROKEN   %s: %s" % (run, e))
            bad += 1
            continue
        exp = [json.loads(line) for line in open(os.path.join(d, "expected.jsonl")) if line.strip()]
        problems = []
        if len(exp) != len(got):
            problems.append("count: expected %d, decoded %d" % (len(exp), len(got)))
        keys = ("run", "file", "tag", "step", "bits", "kind", "field", "dtype", "exact")
        for i, (e, g) in enumerate(zip(exp, got)):
            diff = [k for k in keys if e.get(k) != g.get(k)]
            if not same(e["value"], g["value"]):
                diff.append("value")
            if diff and len(problems) < 5:
                problems.append("line %d differs in %s:\n    expected %s\n    decoded  %s" % (
                    i + 1, diff, json.dumps(e), json.dumps(g)))
        total += len(got)
        status = "OK" if not problems else "MISMATCH"
        bad += status != "OK"
        size = sum(os.path.getsize(os.path.join(d, f)) for f in files if f.startswith("events.out.tfevents."))
        print("%-8s %s: %d scalars, %d records, %d bytes of events" % (status, run, len(got), rep["records"], size))
        print("         events: %s" % rep["events"])
        print("         value fields (dtype:fields present): %s; tensor ranks: %s" % (
            rep["fields"], sorted(rep["ranks"])))
        print("         metadata on (tag, step, plugin, data_class, content bytes): %s" % rep["metadata"])
        for o in rep["other"]:
            print("         " + o)
        for p in problems:
            print("         " + p)
    print("verified %d scalars, %d problem dirs" % (total, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
