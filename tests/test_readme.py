"""The README's set-up commands, run exactly as a newcomer would copy them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support.paths import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"

# What a copy of the project must not carry over: version control, environments, caches, builds.
_NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "site",
    "build",
    "dist",
    "*.egg-info",
)


def setup_commands(text: str) -> list[str]:
    """The fenced ``sh`` blocks of the README's "Set up" section, in order."""
    match = re.search(r"^## Set up\n(.*?)(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    assert match is not None, "README has no '## Set up' section"
    return [
        block.strip()
        for block in re.findall(r"^```sh\n(.*?)^```", match.group(1), flags=re.M | re.S)
    ]


def test_setup_commands_are_found_in_a_sample() -> None:
    sample = (
        "# x\n\n## Set up\n\n```sh\necho one\n```\n\ntext\n\n```sh\necho two\n```\n"
        "\n## Tour\n\n```sh\nno\n```\n"
    )
    assert setup_commands(sample) == ["echo one", "echo two"]


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = setup_commands(README.read_text(encoding="utf-8"))
    assert len(commands) == 2, commands
    for command in commands:
        assert "\n" not in command, f"a set-up command is one line to copy: {command!r}"


@pytest.mark.slow
def test_first_setup_command_checks_the_example_tree(tmp_path: Path) -> None:
    # The command's last step is `ciscocfg check`; before the tree check exists there is
    # nothing to run.
    pytest.importorskip("ciscocfg.provision")
    command = setup_commands(README.read_text(encoding="utf-8"))[0]
    project = tmp_path / "ciscocfg"
    shutil.copytree(PROJECT_ROOT, project, ignore=_NOT_COPIED)
    # A newcomer's shell: no virtual environment active and nothing of ours on the path, so that
    # the check runs the copy just installed into .venv.
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard, not a timing assertion
        check=False,
    )
    report = result.stdout + result.stderr
    assert (project / ".venv" / "bin" / "ciscocfg").is_file(), report
    # Exit status 1: the tree holds the story's errors, and the check must say so.
    assert result.returncode == 1, report
    lowered = report.lower()
    # Each problem of the story, in the check's words.
    assert "SIP0012D9A1B2C3.cnf" in report, report
    assert "SIPDefault.cnf" in report, report
    assert "P0S3-08-2-00" in report, report  # the image OS79XX.TXT names is not in the tree
    assert "no valid line names provisioned" in lowered, report  # the story's W362
    assert any(word in lowered for word in ("no-break space", "non-breaking space", "u+00a0")), (
        report
    )
    assert any(word in lowered for word in ("typographic", "curly", "u+201c")), report


@pytest.mark.slow
def test_the_repair_the_first_command_suggests_runs_as_printed(tmp_path: Path) -> None:
    # The check's last lines name a command; typed where the README's command was typed, it
    # repairs the pasted characters of the tree and the check no longer reports them.
    pytest.importorskip("ciscocfg.provision")
    command = setup_commands(README.read_text(encoding="utf-8"))[0]
    project = tmp_path / "ciscocfg"
    shutil.copytree(PROJECT_ROOT, project, ignore=_NOT_COPIED)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}

    def shell(line: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", line],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,  # a hang guard, not a timing assertion
            check=False,
        )

    first = shell(command)
    hint = re.search(r"are repaired by: (.+)$", first.stdout, flags=re.MULTILINE)
    assert hint is not None, first.stdout + first.stderr
    repaired = shell(hint.group(1))
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "repaired examples/tftproot/SIPDefault.cnf" in repaired.stdout
    again = shell(command.rsplit("&& ", 1)[1])
    assert again.returncode == 1, again.stdout  # the story's other errors are still there
    assert "CNF302" not in again.stdout
    assert "CNF301" not in again.stdout
    assert "are repaired by" not in again.stdout
