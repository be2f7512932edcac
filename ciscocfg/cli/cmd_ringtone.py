"""``ciscocfg ringtone``: make ``.raw`` ring audio from a WAV file, or check a ring file.

* ``ciscocfg ringtone SONG.wav -o Song.raw`` converts (8 kHz µ-law, at most 2 s, a multiple of
  240 samples, faded ends); an existing OUT is replaced only with ``--force``, and never when it
  is the input;
* ``ciscocfg ringtone Ring.raw`` checks an existing ring file and prints the findings.
"""

from __future__ import annotations

import argparse

from ciscocfg.cli._common import EXIT_OK, add_format_option, print_json, status_of

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``ringtone`` subcommand."""
    parser = subparsers.add_parser(
        "ringtone",
        help="convert WAV to .raw ring audio, or check a .raw file",
        description="Convert a WAV file to Cisco .raw ring audio (with -o), or check a .raw "
        "ring file against the phone's rules (without -o).",
    )
    parser.add_argument("input", metavar="FILE", help="a WAV file (with -o) or a .raw file")
    parser.add_argument("-o", "--output", metavar="OUT", help="write the .raw audio here")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace OUT if it exists (never the input; a link is replaced, not written through)",
    )
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Convert or check; 1 when the checked file has errors, 2 when the input is no WAV."""
    from ciscocfg import ringtone
    from ciscocfg._text import read_source
    from ciscocfg._writing import check_writable, write_file

    if args.output:
        # Refused before anything is read or converted: the input, or a file there unasked.
        check_writable(args.output, force=args.force, inputs=[args.input])
    data, name = read_source(args.input)
    if args.output:
        raw, notes = ringtone.convert(data, source=name)
        write_file(args.output, raw, force=args.force, inputs=[args.input])
        seconds = len(raw) / ringtone.RATE
        if args.format == "json":
            print_json(
                {
                    "source": name,
                    "output": args.output,
                    "samples": len(raw),
                    "seconds": round(seconds, 3),
                    "diagnostics": [d.to_json() for d in notes],
                }
            )
        else:
            for note in notes:
                print(note)
            print(f"{args.output}: {len(raw)} samples ({seconds:.2f} s)")
        return EXIT_OK
    findings = ringtone.validate(data, source=name)
    if args.format == "json":
        print_json(
            {
                "source": name,
                "samples": len(data),
                "seconds": round(len(data) / ringtone.RATE, 3),
                "diagnostics": [d.to_json() for d in findings],
            }
        )
    else:
        for diag in findings:
            print(diag)
        if not findings:
            print(f"{name}: {len(data)} samples, valid ring audio")
    return status_of(findings)
