"""The ``firmware`` and ``ringtone`` commands."""

from __future__ import annotations

import io
import math
import wave
from pathlib import Path

import pytest
from support.loads_builder import PAYLOAD_79X0, container

from ciscocfg import ringtone
from ciscocfg.cli import main


def test_decode_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["firmware", "P0S3-08-2-00", "P003-08-2-00.sbn", "SIP41.9-4-2SR3-1S"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["NAME", "FAMILY", "PROTOCOL", "VERSION", "ROLE", "SIGNED", "NOTES"]
    assert out[1].split()[:6] == ["P0S3-08-2-00", "7940/7960", "SIP", "8.2(0)", "application", "-"]
    assert out[2].split()[:5] == ["P003-08-2-00.sbn", "7940/7960", "-", "8.2(0)", "loader"]
    assert "universal application loader" in out[2]
    assert out[3].split()[:4] == ["SIP41.9-4-2SR3-1S", "7941/7961", "SIP", "9.4(2)SR3"]


def test_bad_name_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["firmware", "POS3-08-12-00"]) == 1
    assert "did you mean 'P0S3-08-12-00'" in capsys.readouterr().err


def test_upgrade_plan(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["firmware", "--upgrade", "SCCP 3.x", "P0S3-08-2-00"]) == 0
    out = capsys.readouterr().out
    assert "1. P0S3-06-3-00" in out
    assert "2. P003-08-2-00" in out
    assert "3. P0S3-08-2-00" in out
    assert main(["firmware", "--upgrade", "P00303020214", "P0S3-07-4-00", "--direct"]) == 1
    assert "Load ID Incorrect" in capsys.readouterr().out
    assert main(["firmware", "--upgrade", "SIP 6.3", "SIP 8.2", "--family", "nope"]) == 2
    assert main(["firmware"]) == 2


def test_loads_listing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "P0S3-8-12-00.loads"
    path.write_bytes(container("P0S3-8-12-00.loads", PAYLOAD_79X0))
    (tmp_path / "P0S3-8-12-00.sb2").write_bytes(b"")
    assert main(["firmware", "--loads", str(path), "--root", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "P003-8-12-00.sbn" in captured.out
    assert "missing from" in captured.err
    assert "P003-8-12-00.sbn" in captured.err


def test_ringtone_convert_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44100)
        frames = bytearray()
        for i in range(44100):
            value = round(12000 * math.sin(2 * math.pi * 523 * i / 44100))
            frames += value.to_bytes(2, "little", signed=True) * 2
        w.writeframes(bytes(frames))
    wav = tmp_path / "song.wav"
    wav.write_bytes(buf.getvalue())
    out = tmp_path / "Song.raw"
    assert main(["ringtone", str(wav), "-o", str(out)]) == 0
    assert ringtone.validate(out.read_bytes()) == []
    assert len(out.read_bytes()) == 8160
    assert main(["ringtone", str(out)]) == 0
    assert "valid ring audio" in capsys.readouterr().out
    short = tmp_path / "short.raw"
    short.write_bytes(b"\xff" * 100)
    assert main(["ringtone", str(short)]) == 1
    assert "RT101" in capsys.readouterr().out  # findings go where every command's go
    # Not a WAV: input the command cannot read, named by its path.
    assert main(["ringtone", str(short), "-o", str(tmp_path / "x.raw")]) == 2
    assert f"{short}:byte 0: not a WAV file" in capsys.readouterr().err
    assert not (tmp_path / "x.raw").exists()
