"""Move 79x0 SIP configs (``SIP<MAC>.cnf`` over ``SIPDefault.cnf``) to 79x1 ``SEP<MAC>.cnf.xml``.

>>> from ciscocfg import cnf
>>> from ciscocfg.migrate import cnf_to_sepxml
>>> phone = cnf.loads('line1_name: 2001\\nproxy1_address: pbx\\nend_media_port: 8012\\n')
>>> config, findings = cnf_to_sepxml(phone, model="7961")
>>> config.get("sipProfile/stopMediaPort")
'8012'
>>> config.phone_lines[0].proxy
'pbx'

Every source key is either carried over or reported in a :class:`~ciscocfg.Diagnostic`
(codes ``MIG0nn`` forward, ``MIG1nn`` backward) that says why; ``image_version`` is never
copied across image families. ``docs/formats/migration.md`` has the key map and the codes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ciscocfg._diagnostic import Diagnostic
from ciscocfg._errors import ValidationError
from ciscocfg._phones import MODELS, PhoneModel, phone_model
from ciscocfg.migrate._bulk import TreeResult, migrate_tree
from ciscocfg.migrate._forward import Entry, convert, date_template, normalize_phone_label
from ciscocfg.migrate._macmap import MacMapError, check_mac_map, mac_map, parse_mac_csv
from ciscocfg.migrate._node import Node
from ciscocfg.migrate._reverse import revert

if TYPE_CHECKING:
    from ciscocfg import cnf, sepxml
    from ciscocfg._xml import Element

__all__ = [
    "MODELS",
    "Entry",
    "MacMapError",
    "Node",
    "PhoneModel",
    "TreeResult",
    "check_mac_map",
    "cnf_entries",
    "cnf_to_sepxml",
    "convert",
    "date_template",
    "mac_map",
    "migrate_tree",
    "node_from_element",
    "normalize_phone_label",
    "parse_mac_csv",
    "phone_model",
    "revert",
    "sepxml_to_cnf",
]


def cnf_entries(doc: cnf.Document) -> tuple[list[Entry], list[Diagnostic]]:
    """Every ``key: value`` line of ``doc`` as an :class:`Entry`, keyed as the phone reads it
    (:func:`ciscocfg.cnf.phone_view`: a byte order mark is part of the first key), and a finding
    per line that is not one (``MIG011``), so that no line of the source goes unaccounted for.
    A file that is not text gives no entries and its one ``TXT`` finding."""
    from ciscocfg import cnf
    from ciscocfg._reads import unreadable_finding

    view = cnf.phone_view(doc)
    if view.unreadable is not None:
        return [], [unreadable_finding(view.unreadable, doc.source, "nothing is carried")]
    entries = [Entry(s.key, s.value, doc.source, s.line) for s in view.settings]
    skipped: list[Diagnostic] = []
    for number, line in enumerate(doc.lines, 1):
        if type(line) is cnf.InvalidLine:
            skipped.append(
                Diagnostic(
                    "MIG011",
                    "warning",
                    f"{line.text.strip()!r} is not a 'key: value' line: not carried",
                    line=number,
                    source=doc.source,
                )
            )
    return entries, skipped


def _model(model: str) -> PhoneModel:
    found = phone_model(model)
    if not found.is_79x1:
        raise ValidationError(
            f"the {found.name} reads SIP<MAC>.cnf itself; migrate to a 79x1 model such as 7961"
        )
    return found


def _check_load(load: str, target: PhoneModel) -> None:
    from ciscocfg import sepxml

    families = sepxml.load_family(load.strip())
    if families is not None and target.name[:4] not in families:
        raise ValidationError(
            f"load {load!r} is for {', '.join(sorted(families))}, not the {target.name}"
        )


def cnf_to_sepxml(
    phone: cnf.Document,
    default: cnf.Document | None = None,
    *,
    model: str,
    fix: bool = False,
    load: str | None = None,
) -> tuple[sepxml.DeviceConfig, list[Diagnostic]]:
    """Build the ``SEP<MAC>.cnf.xml`` a 79x1 ``model`` needs for what a 79x0 would read.

    ``default`` (``SIPDefault.cnf``) is applied first and ``phone`` (``SIP<MAC>.cnf``) over it,
    as the phone merges them. The findings name, with file and line, every source line not
    carried over and why: no 79x1 equivalent, lossy (``time_zone``), needs a decision
    (``tos_media``), beyond the model's keys, or not a valid value. Raises
    :class:`~ciscocfg.ValidationError` for a model that is not a 79x1.

    ``load`` (e.g. ``SIP41.9-4-2SR3-1S``) is written as ``loadInformation``; a load of
    another family than ``model`` is refused with :class:`~ciscocfg.ValidationError`.
    ``fix=True`` first repairs typographic quotes, no-break spaces and a byte order mark
    (:func:`ciscocfg.cnf.fix`), which a phone would otherwise take literally; each repaired file
    is reported (``MIG021``).
    """
    from ciscocfg import cnf, sepxml

    target = _model(model)
    if load is not None:
        _check_load(load, target)
    layers: list[list[Entry]] = []
    findings: list[Diagnostic] = []
    for doc in (default, phone):
        if doc is None:
            continue
        if fix:
            repaired = cnf.fix(doc)
            if repaired.dumps() != doc.dumps():
                findings.append(
                    Diagnostic(
                        "MIG021",
                        "info",
                        "typographic quotes, no-break spaces and the like repaired before "
                        "migrating",
                        source=doc.source,
                    )
                )
                doc = repaired
        entries, skipped = cnf_entries(doc)
        layers.append(entries)
        findings.extend(skipped)
    device, converted = convert(layers, target)
    if load is not None:
        device.ensure("loadInformation").text = load.strip()
    findings.extend(converted)
    config = sepxml.loads('<?xml version="1.0" encoding="UTF-8"?>\n' + device.render())
    findings.sort(key=Diagnostic.sort_key)
    return config, findings


def node_from_element(element: Element) -> Node:
    """A :class:`Node` copy of a parsed XML element (attributes, own text, children)."""
    return Node(
        element.name,
        {a.name: a.value for a in element.attributes},
        element.text if not element.children else None,
        [node_from_element(child) for child in element.children],
    )


def _write(doc: cnf.Document, key: str, value: str) -> str | None:
    """Set ``key``; the reason when the dialect cannot hold the value (it has no escapes)."""
    try:
        doc[key] = value
    except ValidationError as exc:
        return str(exc)
    return None


def sepxml_to_cnf(config: sepxml.DeviceConfig) -> tuple[cnf.Document, list[Diagnostic]]:
    """The ``SIP<MAC>.cnf`` holding what a 79x1 SIP ``config`` says that a 79x0 can hold.

    The inverse of :func:`cnf_to_sepxml` on the settings both formats share; every element
    with a value that cannot be written is reported (``MIG1nn``).
    """
    from ciscocfg import cnf

    settings, findings = revert(node_from_element(config.root), source=config.source)
    doc = cnf.loads("")
    for key, value in settings.items():
        problem = _write(doc, key, value)
        if problem is not None:
            findings.append(
                Diagnostic(
                    "MIG108",
                    "warning",
                    f"{key}: {value!r} cannot be written in a .cnf file ({problem}): not written",
                    source=config.source,
                )
            )
    return doc, findings
