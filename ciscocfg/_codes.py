"""Every code a finding of the library can carry, in one table (standard library only).

Each :class:`~ciscocfg.Diagnostic` the library returns has one of these codes. The table says,
for each, the severities it is reported with, what it means in one line, and the page of the
documentation whose table lists it. The codes are stable: a code is never given a new meaning.
A code is set where its finding is found, in the check that finds it; this table only lists
them, and the tests hold it to the source, to the documentation and to the findings themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

__all__ = ["CODES", "Code", "Severity"]

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Code:
    """What one code means: the ``severities`` it is reported with, a one-line ``meaning``,
    and the ``page`` of the documentation (a path below ``docs/``) whose table lists it."""

    severities: tuple[Severity, ...]
    meaning: str
    page: str


# One section a documentation page (below docs/), one row a code: the code, its severities
# (separated by /) and its meaning. By prefix: TXT and TPL (shared by every validator of a
# text file), CNF (.cnf), XML (SEP<MAC>.cnf.xml), DPL (dial plans), RXL (Ringlist.xml), RL
# (RINGLIST.DAT), RT (.raw rings), OS (OS79XX.TXT), MIG (migration), PRV (the provisioning
# tree), STG (staging a firmware step), FW (ciscocfg firmware), GEN (generating a tree).
_TABLE = """
[formats/index.md]
TXT001 error        not a text file: an executable, an image, a document, NUL bytes
TXT002 error        compressed: gzip, zip (a .docx is one), bzip2, xz, zstd, 7-Zip, compress, lz4
TXT003 error        UTF-16 or UTF-32 text: the phone reads bytes
TPL001 info         template placeholders: the values they stand for are not checked
[formats/cnf.md]
CNF001 error        line is not a comment, a blank line or 'key: value'
CNF002 warning      file larger than the phone's 8 KiB configuration buffer
CNF003 warning/info byte order mark at the start of the file
CNF101 warning      unknown key (with the nearest known key as suggestion)
CNF102 warning      known key spelled in another case
CNF103 warning      key set more than once (the last one wins)
CNF104 warning      key for a line the phone model does not have
CNF201 error        value is not a decimal integer
CNF202 error        integer out of range
CNF203 error        value is not one of the allowed keywords
CNF204 error        text longer than the phone accepts
CNF205 error        value is not a dotted IPv4 address or host name
CNF206 error        value does not have the required form (month, hour, date format ...)
CNF207 warning      ';' right after a bare value cuts it short
CNF208 warning      ';' inside a quoted value
CNF301 warning/info typographic quote
CNF302 warning/info no-break space
CNF303 warning      other character outside ASCII
CNF401 error        no usable line 1 ('No Valid Line Names Provisioned')
CNF402 error        end_media_port below start_media_port
[formats/sepxml.md]
XML001 error        root is neither device nor Default
XML002 warning      root spelled in another case (<default>): names are case-sensitive
XML003 warning      no deviceProtocol in a device file
XML004 error        deviceProtocol is not exactly SIP or SCCP
XML101 warning      a boolean element is not exactly true/false (True, 1, empty: read as false)
XML102 error        a SIP config with no line that has a name, a proxy and a port: no registration
XML104 warning      too long: name, displayName, authName, authPassword, featureLabel > 30 ...
XML105 warning      phoneLabel with spaces
XML106 warning      the misspelled natRecievedProcessing (write natReceivedProcessing)
XML107 warning      an integer element that is not a whole number (the phone reads its digits)
XML108 warning      maxNumCalls above 50
XML109 warning      two line elements with the same button
XML110 warning      userInfo is not None, Phone or IP (read case-insensitively)
XML201 info         loadInformation<ID> with a device-type id outside the 79xx table
XML202 warning      the model label of a loadInformation<ID> does not match the device-type id
XML203 error        a load built for another family (SIP70... for a 7941, a 79x0 P003... for a 7962)
XML204 warning      the same loadInformation<ID> twice
XML205 warning      a load name with its extension (.loads, .sbn ...): the phone adds it
XML206 warning      deviceProtocol says one protocol, loadInformation names a load of the other
XML207 info         a load the library cannot match to the model: whether it suits is unknown
[formats/dialplan.md]
DPL001 error        root is not DIALTEMPLATE: the phone finds no rules
DPL002 warning      <template>/<Template>: ignored, must be upper case
DPL003 error        unknown attribute: the TEMPLATE is dropped
DPL004 error        Timeout negative or not a number: dropped
DPL005 error        User not Phone/IP: dropped
DPL006 error        Route not Default/Emergency/FQDN: dropped
DPL007 error        unknown tone name, or more than 3 tones: dropped
DPL008 warning/error MATCH or Rewrite longer than 63 characters (probably cut) / 196 (too long)
DPL009 error        Line not 0–255: dropped
DPL010 error        file larger than the 8191 bytes the phone reads
DPL011 warning      versionStamp shorter than 3 or longer than 64 characters
DPL012 info         Tone given but MATCH has no ,
DPL101 warning      CallManager pattern syntax (X, [..], !), which the phone reads literally
DPL102 warning      the same MATCH (and Line) again: the later rule never wins
DPL103 warning      a rule that never wins: the phone never dials by it
DPL104 error        a catch-all dials at once on a prefix of an emergency number
DPL105 info         a rule that wins only in one # mode (# an ordinary digit, or 'dial now')
DPL106 info         whether some rules can ever win is unknown: the check does not follow them all
[formats/ringxml.md]
RXL001 error        root is not CiscoIPPhoneRingList: the phone shows 'Ring List Unavailable'
RXL002 error        a Ring without DisplayName or FileName
RXL003 warning      DisplayName or FileName longer than 25 characters
RXL004 error        more than 50 rings
RXL005 error        the file name differs only in case from the name the phone asks for
RXL006 info         a FileName not ending in .raw (or .rwb for the wideband list)
RXL008 warning      a child of the root that is not a Ring (ignored)
[formats/small-files.md]
RL100  error        a line without a separator
RL101  error        spaces instead of a tab (whether the phone accepts them is unknown)
RL102  warning      display name longer than 25 characters
RL103  warning      file name longer than 25 characters
RL104  warning      more than 50 rings
RL105  error        ring file missing from the root
RL106  error        ring file present only with another case
RL107  info         blanks after the file name
RL108  warning      extension other than .raw/.pcm
RL109  warning      display name used twice
RL110  warning      no ring at all
RL111  error/warning/info the ring file fails a .raw audio check (the RTnnn code in the message)
RL112  warning      empty display name
RT100  error        empty file
RT101  error        fewer than 240 samples
RT102  error        more than 16080 samples
RT103  warning      size not a multiple of 240
RT104  warning      does not start near silence (a click)
RT105  warning      does not end near silence
RT106  error        a WAV or AU header where raw samples belong
RT107  info         the whole file is silence
RT201  info         a ring made by convert was longer than a ring plays, and was cut
OS100  error        the file names no image
OS101  error        not a Cisco image name
OS102  error        the letter O where a zero belongs (POS3…); suggestion given
OS103  warning      blanks around the name: some loaders then ask for a file that does not exist
OS104  error        the name carries an extension; the loader adds its own
OS105  error        not a 7940/7960 image
OS106  error        the server offers the image only under another protocol letter
OS107  error        the server offers no file for the image
OS108  info         lines after the first are ignored
OS109  warning      a .loads-era application where the universal loader (P003-…) belongs
[formats/migration.md]
MIG001 warning      the key has no 79x1 equivalent: not carried
MIG002 warning      time zone and daylight saving: time_zone mapped (lossy) or not, dst_* dropped
MIG003 warning      the key needs a decision (tos_media): not carried
MIG004 info         image_version is never carried across image families
MIG005 warning      not a 79x0 key the map knows (a hint when a blank or no-break space hides one)
MIG006 warning      a value not valid for its type (boolean, number, 0-3, bit mask): not carried
MIG007 info         an empty typed value: not carried, the 79x1 default applies
MIG008 warning      a line or speed dial beyond the model's keys: not carried
MIG009 info         the line has no name (empty or UNPROVISIONED): its keys are not carried
MIG010 warning      phone_label shortened for the 79x1
MIG011 warning      a source line that is not key: value: not carried
MIG012 warning      date_format is not a day/month/year template the 79x1 understands
MIG013 info         a SIPDefault.cnf value overridden by the phone's file
MIG014 info         a key set again later in the same file: the earlier value is not used
MIG015 info         phone_password carried; its meaning differs on the 79x1
MIG016 info         a line without its own proxy takes proxy1_address
MIG017 warning      no line has a name: the XML has no line and the phone will not register
MIG018 info         a phone-wide key written on each line
MIG019 warning      auto_answer bits for lines the config does not have
MIG020 info         a speed dial renumbered (the source numbering had gaps)
MIG021 info         pasted characters (typographic quotes, no-break spaces, a BOM) repaired first
MIG022 warning      the value holds characters XML cannot hold: not carried
MIG031 error        ciscocfg migrate: the source could not be read or converted
MIG101 warning      back to .cnf: an element with no .cnf key
MIG102 warning      back to .cnf: a line proxied by the call manager, or a zone without abbreviation
MIG103 warning      back to .cnf: lines differ in a setting the 79x0 holds once per phone
MIG104 info         back to .cnf: loadInformation is not written as image_version
MIG105 error        back to .cnf: an SCCP config has no lines to write
MIG106 warning      back to .cnf: an element value that does not fit its key's type
MIG107 warning      back to .cnf: a line key with a feature the 79x0 does not have
MIG108 warning      back to .cnf: a value with a " or a line break
[formats/provisioning-tree.md]
PRV001 error        no SIP<MAC>.cnf or SEP<MAC>.cnf.xml in the tree: no phone is provisioned
PRV002 info         the MAC asked about names no file of the tree (with the closest MAC it holds)
PRV010 error        a per-phone file with the MAC in lower case: the phone asks for upper case
PRV011 error/warning a file the phone asks for exists only in another letter case (.CNF, sep...)
PRV012 error        SIP<MAC>.cnf missing (or missing from the tftp_cfg_dir SIPDefault.cnf names)
PRV013 warning      SIPDefault.cnf missing: shared settings come only from each phone's file
PRV014 error        a per-phone file named with separators in the MAC or an added extension
PRV020 error        a SEP<MAC>.cnf.xml beside SIP<MAC>.cnf flips the SIP phone to SCCP
PRV021 info         a SEP<MAC>.cnf.xml stub pins a SIP image (deviceProtocol SIP, a P0S3… load)
PRV031 error        image_version is not a Cisco image name (a blank, the letter O for a zero ...)
PRV032 error        image_version names an image of another family (a 79x1 load on a 7940)
PRV033 error        the .loads of the image named is missing: no upgrade
PRV034 error        a file named by the .loads is missing: the upgrade stops half way
PRV035 error        the one file an image older than the universal loader fetches is missing
PRV036 info         the phone runs the image named, whose .loads is missing: it keeps its image
PRV037 warning      OS79XX.TXT and image_version name different releases: phones upgrade twice
PRV038 error        the phone does not reach the image named: a jump it refuses, or no way on
PRV039 info         unknown whether the phone reaches the image named
PRV040 error        no usable line 1 after merging: "W362 No Valid Line Names Provisioned"
PRV041 error        line 1 has a name but no proxy1_address
PRV050 warning      the dial plan the config names is missing: the phone waits for the timeout
PRV051 warning      the soft key file named by softKeyFile is missing
PRV060 warning/info RINGLIST.DAT (warning) or Ringlist.xml (info) missing: only the built-in rings
PRV061 warning      a ring file named by RINGLIST.DAT is missing
PRV070 error        the server answered a request with an error other than 'file not found'
PRV080 error        a 79x1 finds neither SEP<MAC>.cnf.xml nor XMLDefault.cnf.xml
PRV081 warning      a 79x1 without its SEP<MAC>.cnf.xml falls back to XMLDefault.cnf.xml
PRV082 info         no loadInformation: the phone keeps the firmware it runs
PRV090 error        a file the phone reads is not well-formed (XML, ring list): the phone ignores it
[formats/firmware.md]
STG001 error        staging blocked: a file the step needs is in neither the bundles nor the root
STG002 error        staging blocked: the bundles hold different files of one name
STG003 error        staging blocked: the root holds the file with other bytes (replace: --force)
STG004 error        staging blocked: OS79XX.TXT names another image (rewritten with --force)
STG005 info         the bundles hold the missing release under another spelling
STG010 error        no file of the root names the step's image where the phone reads it
STG011 info         a file names the step's image
STG012 error/warning a file names another image than the step's (warning if another names it)
STG020 error        with the files staged, the phone does not reach the step's image
STG021 info         unknown whether the phone takes the step
STG030 error        the planner refuses the upgrade
STG031 error        staging blocked: which files the step needs is not known
[reference/cli.md]
FW001 error         ciscocfg firmware: a NAME that is no Cisco image name
FW002 error         ciscocfg firmware: a file the .loads names is missing from --root
FW003 error         ciscocfg firmware: the phone refuses the jump --upgrade asks about
[reference/generate.md]
GEN001 warning      SIPDefault.cnf sets a setting the phone depends on to another value
GEN002 warning      SIPDefault.cnf does not set such a setting
GEN003 warning      OS79XX.TXT names another image than this phone's firmware needs
GEN004 warning/info dialplan.xml differs from the plan given (warning) or the default plan (info)
"""


def _read(table: str) -> dict[str, Code]:
    codes: dict[str, Code] = {}
    page = ""
    for row in table.strip().splitlines():
        if row.startswith("["):
            page = row.strip("[]")
            continue
        code, severities, meaning = row.split(maxsplit=2)
        levels = tuple(cast(Severity, level) for level in severities.split("/"))
        assert set(levels) <= {"error", "warning", "info"}, row
        codes[code] = Code(levels, meaning, page)
    return codes


#: Every code the library's findings carry, by code.
CODES: dict[str, Code] = _read(_TABLE)
