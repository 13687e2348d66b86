"""Readers of the deployment files the tests compare: Procfile, Dockerfile, compose.yaml, README, .env.example."""

import json
import re
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def procfile(path: Path = ROOT / "Procfile") -> dict[str, str]:
    """Process type → command, refusing a repeated type or a line without a type."""
    processes = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, separator, command = line.partition(":")
        if not separator or not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
            raise ValueError(f"Procfile, ligne {number} : « type: commande » attendu.")
        if name in processes:
            raise ValueError(f"Procfile, ligne {number} : le processus {name} est déjà défini.")
        processes[name] = command.strip()
    return processes


def words(command: str | list[str]) -> list[str]:
    """A command as the list of its words, whether written as a shell line or an exec array."""
    return list(command) if isinstance(command, list) else shlex.split(command)


def dockerfile_instruction(name: str, path: Path = ROOT / "Dockerfile") -> list[str]:
    """Every argument of an instruction of the Dockerfile (continuation lines joined), in order."""
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    return [line.split(None, 1)[1] for line in text.splitlines() if line.upper().startswith(f"{name.upper()} ")]


def dockerfile_cmd(path: Path = ROOT / "Dockerfile") -> list[str]:
    """The default command of the final stage (the last CMD), as words."""
    return json.loads(dockerfile_instruction("CMD", path)[-1])


def compose(path: Path = ROOT / "compose.yaml") -> dict:
    """compose.yaml as data, with its YAML anchors and merge keys resolved."""
    return yaml.safe_load(path.read_text())


def readme_section(title: str, path: Path = ROOT / "README.md") -> str:
    """The text of a `## title` section of the README, up to the next section of the same level."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", path.read_text(), flags=re.S | re.M)
    if not match:
        raise ValueError(f"README : section « {title} » introuvable.")
    return match.group(1)


def env_example(path: Path = ROOT / ".env.example") -> dict[str, str]:
    """Variable → example value of .env.example (comments and inline comments left out)."""
    variables = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]*)=(.*?)(?:\s+#.*)?$", line)
        if match:
            variables[match.group(1)] = match.group(2).strip()
    return variables
