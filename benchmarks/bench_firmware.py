"""Speed of the firmware-name decoder, the RINGLIST.DAT codec and the WAV-to-ring converter.

* Names: ``firmware.parse`` over every name of the spec's decode table, against a floor that
  only matches one regular expression per name (no fields, no object).
* Ring lists: ``ringlist.loads`` + ``dumps`` of a 50-ring file against ``splitlines`` +
  ``partition`` + ``join``.
* Ring audio: ``ringtone.from_wav`` (pure Python) on 3 s of 44.1 kHz stereo 16-bit audio,
  against the same conversion done with ``audioop`` (C; present up to Python 3.12) where it
  is available.

Run: ``python benchmarks/bench_firmware.py`` (prints Markdown tables).
"""

from __future__ import annotations

import io
import math
import re
import sys
import warnings
import wave
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._harness import Case, compare, markdown_table  # noqa: E402
from ciscocfg import firmware, ringlist, ringtone  # noqa: E402

NAMES = [
    "P0S3-08-12-00", "P0S3-8-12-00.loads", "P003-8-12-00.sbn", "P00308010200", "P0030801SR02",
    "P0M3-08-1-00", "P00405000700", "SIP41.9-4-2SR3-1S", "SCCP45.9-3-1SR1-1S", "SIP41.8-5-4S",
    "term41.default.loads", "apps41.8-5-4TH1-6.sbn", "jar41sip.8-5-4TH1-6.sbn",
    "CP7912080004SCCP080108A", "CP7912080000SIP060111A.sbin", "ATA030204SCCP090202A",
    "cmterm_7920.4.0-03-02", "CP7921G-1.4.6.3", "apps37sccp.1-4-5-7", "S00105000400",
    "B015-1-0-4-2", "sip78xx.10-1-1SR1-4",
]  # fmt: skip

#: Names of the families a 79xx tree holds beside its phones (69xx, 78xx, 88xx, 89xx, 99xx ...).
NEWER = [
    "SCCP894x.9-4-2SR1-2", "SCCP6901.9-2-1-a", "sip88xx.14-0-1-0101-145",
    "sip88xx.12-0-5MPP0001-325", "BOOT69xx.0-0-0-14.zz.sgn", "sip8845_65.14-1-1-0001-125",
    "kern2.78xx.14-2-1-0101-26.sbn", "sip9971.9-4-2SR4-1",
]  # fmt: skip

_FLOOR = re.compile(r"[A-Za-z]{1,6}[0-9A-Za-z_.\-]*")


def names_floor() -> int:
    return sum(1 for n in NAMES if _FLOOR.fullmatch(n))


def names_ciscocfg() -> int:
    return sum(1 for n in NAMES if firmware.parse(n).version is not None)


def newer_floor() -> int:
    return sum(1 for n in NEWER if _FLOOR.fullmatch(n))


def newer_ciscocfg() -> int:
    return sum(1 for n in NEWER if firmware.parse(n).version is not None)


def _package() -> dict[str, bytes]:
    """The SIP 8.2 package as a TFTP root holds it (a .loads naming the loader and the app)."""
    header = bytes([1, 0, 2, 1, 1, 2, 0, 2]) + (16).to_bytes(2, "big") + bytes(6)
    payload = b"P003-08-2-00.sbn\nP0S3-08-2-00.sb2\nLA_VERSION=PAS30830\n"
    return {
        "P0S3-08-2-00.loads": header + payload,
        "P003-08-2-00.sbn": b"\0" * 64,
        "P0S3-08-2-00.sb2": b"\0" * 64,
    }


#: The story's phones against its finished tree: on SCCP 3.x, on SIP 6.3, already on 8.2.
STORY: list[tuple[str, str | None]] = [("P00303020214", "P003-08-2-00")]
STORY += [("P0S3-06-3-00", "P003-08-2-00")]
STORY += [("P0S3-08-2-00", "P003-08-2-00"), ("P0S3-08-1-00", None)]
FILES = _package()


def plan_only() -> int:
    return sum(not firmware.upgrade_path(cur, "P0S3-08-2-00").refused for cur, _ in STORY)


def verdicts() -> int:
    return sum(firmware.reach(cur, "P0S3-08-2-00", FILES, selector=sel).boots for cur, sel in STORY)


RINGS = "".join(f"Ring number {i}\t\tring{i:02d}.raw \r\n" for i in range(50)) + "\r\n"


def rings_floor() -> str:
    lines = RINGS.splitlines(keepends=True)
    pairs = [line.partition("\t") for line in lines]
    return "".join(a + b + c for a, b, c in pairs)


def rings_ciscocfg() -> str:
    return ringlist.loads(RINGS).dumps()


def make_wav(seconds: float = 3.0, rate: int = 44100) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = bytearray()
        for i in range(int(rate * seconds)):
            value = round(12000 * math.sin(2 * math.pi * 440 * i / rate))
            frames += value.to_bytes(2, "little", signed=True) * 2
        w.writeframes(bytes(frames))
    return buf.getvalue()


def load_audioop() -> ModuleType | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import audioop
        except ImportError:
            return None
    return audioop


def main() -> None:
    print(markdown_table(
        f"firmware.parse, {len(NAMES)} names",
        compare([Case("regex floor", names_floor, len(NAMES)),
                 Case("ciscocfg.firmware.parse", names_ciscocfg, len(NAMES))],
                baseline="regex floor"),
        "names",
    ))  # fmt: skip
    print(markdown_table(
        f"firmware.parse, {len(NEWER)} names of the 69xx/78xx/88xx/89xx/99xx families",
        compare([Case("regex floor", newer_floor, len(NEWER)),
                 Case("ciscocfg.firmware.parse", newer_ciscocfg, len(NEWER))],
                baseline="regex floor"),
        "names",
    ))  # fmt: skip
    print(markdown_table(
        f"firmware.reach against upgrade_path, {len(STORY)} phones of the 7940 story",
        compare([Case("upgrade_path (plan only)", plan_only, len(STORY)),
                 Case("ciscocfg.firmware.reach", verdicts, len(STORY))],
                baseline="upgrade_path (plan only)"),
        "verdicts",
    ))  # fmt: skip
    print(markdown_table(
        "RINGLIST.DAT loads + dumps, 50 rings",
        compare([Case("splitlines floor", rings_floor, 50),
                 Case("ciscocfg.ringlist", rings_ciscocfg, 50)],
                baseline="splitlines floor"),
        "rings",
    ))  # fmt: skip
    wav = make_wav()
    cases = [Case("ciscocfg.ringtone.from_wav", lambda: ringtone.from_wav(wav), 1)]
    audioop = load_audioop()
    if audioop is not None:
        pcm = wav[44:]
        two_seconds = 44100 * 2 * 2 * 201 // 100

        def with_audioop() -> bytes:
            mono = audioop.tomono(pcm[: two_seconds * 2], 2, 0.5, 0.5)
            low, _ = audioop.ratecv(mono, 2, 1, 44100, 8000, None)
            return bytes(audioop.lin2ulaw(low, 2)[: ringtone.MAX_SAMPLES])

        cases.insert(0, Case("audioop (C)", with_audioop, 1))
    baseline = cases[0].name
    print(markdown_table("WAV (3 s, 44.1 kHz stereo 16-bit) to .raw", compare(cases,
          baseline=baseline, repeats=5), "files"))  # fmt: skip


if __name__ == "__main__":
    main()
