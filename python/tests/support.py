"""Test support: a minimal TensorBoard event writer and the real Plateau daemon, run as a process.

The writer frames records as TensorFlow documents them (length, masked CRC-32C of the length,
data, masked CRC-32C of the data) and writes ``Event`` messages with ``simple_value`` summaries,
flushing each, as a live job does. The daemon is the real jar: ``PLATEAU_JAR``, or
``target/plateau.jar`` beside this directory after ``./mvnw package``.
"""

import os
import shutil
import struct
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def _crc_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _crc_table()


def _masked_crc(data):
    c = 0xFFFFFFFF
    for byte in data:
        c = _TABLE[(c ^ byte) & 0xFF] ^ (c >> 8)
    c ^= 0xFFFFFFFF
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _varint(n):
    out = bytearray()
    while True:
        low = n & 0x7F
        n >>= 7
        if n:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _field(number, wire, payload):
    key = _varint((number << 3) | wire)
    return key + (_varint(len(payload)) + payload if wire == 2 else payload)


class EventWriter:
    """Appends scalar events to ``DIR/events.out.tfevents.<time>.test.1.v2``, flushing each."""

    def __init__(self, directory, wall_time):
        os.makedirs(directory, exist_ok=True)
        name = "events.out.tfevents.%d.test.%d.v2" % (int(wall_time), os.getpid())
        self._file = open(os.path.join(directory, name), "wb")
        self._record(_field(1, 1, struct.pack("<d", wall_time)) + _field(3, 2, b"brain.Event:2"))

    def _record(self, data):
        head = struct.pack("<Q", len(data))
        self._file.write(head + struct.pack("<I", _masked_crc(head)) + data
                         + struct.pack("<I", _masked_crc(data)))
        self._file.flush()

    def scalar(self, tag, step, wall_time, value):
        summary_value = _field(1, 2, tag.encode("utf-8")) + _field(2, 5, struct.pack("<f", value))
        self._record(_field(1, 1, struct.pack("<d", wall_time)) + _field(2, 0, _varint(step))
                     + _field(5, 2, _field(1, 2, summary_value)))

    def close(self):
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def plateau_jar():
    """The jar under test, or None."""
    jar = os.environ.get("PLATEAU_JAR") or os.path.join(REPO, "target", "plateau.jar")
    return jar if os.path.isfile(jar) else None


def java():
    home = os.environ.get("JAVA_HOME")
    candidate = os.path.join(home, "bin", "java") if home else None
    return candidate if candidate and os.path.isfile(candidate) else shutil.which("java")


def needs_daemon(test_case):
    """Skips (with the reason) where the jar or Java is missing; under CI that is a failure."""
    missing = None
    if plateau_jar() is None:
        missing = "no Plateau jar (set PLATEAU_JAR or run ./mvnw package)"
    elif java() is None:
        missing = "no java on PATH"
    if missing is None:
        return test_case
    if os.environ.get("CI"):
        raise RuntimeError(missing + " (CI must run these tests)")
    return unittest.skip(missing)(test_case)


def run_plateau(*args, timeout=120):
    """Runs the real jar; returns the completed process (stdout and stderr as text)."""
    env = dict(os.environ, LC_ALL="C.UTF-8")
    return subprocess.run([java(), "-jar", plateau_jar()] + list(args), env=env, timeout=timeout,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)


def start_plateau(*args):
    """Starts the real jar as a daemon beside a test; stop it with :func:`stop`."""
    env = dict(os.environ, LC_ALL="C.UTF-8")
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen([java(), "-jar", plateau_jar()] + list(args), env=env,
                               stdout=log, stderr=subprocess.STDOUT, universal_newlines=True)
    process.log = log
    return process


def stop(process):
    """Stops a daemon started by :func:`start_plateau` (SIGTERM, then kill); returns its output."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log.seek(0)
    output = process.log.read()
    process.log.close()
    return output
