"""The build cache of one year: `build/<YEAR>/state.json` records, per step, the key its outputs were made from.

A step is up to date when its key (content hashes of its inputs, its notebook and the package code) equals the
recorded one and its recorded outputs are still there with the same hashes. Anything else reruns it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = 1


@dataclass
class StepRecord:
    key: str
    outputs: dict[str, str] = field(default_factory=dict)  # relative path -> sha256
    info: dict = field(default_factory=dict)  # what later steps need to know (e.g. hard errors)


class BuildState:
    def __init__(self, path: Path, steps: dict[str, StepRecord] | None = None) -> None:
        self.path = Path(path)
        self.steps: dict[str, StepRecord] = steps or {}

    @classmethod
    def load(cls, path: Path) -> "BuildState":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if data.get("format") != FORMAT:
            return cls(path)
        steps = {name: StepRecord(s["key"], s.get("outputs", {}), s.get("info", {}))
                 for name, s in data.get("steps", {}).items()}
        return cls(path, steps)

    def get(self, step: str) -> StepRecord | None:
        return self.steps.get(step)

    def record(self, step: str, key: str, outputs: dict[str, str] | None = None, info: dict | None = None) -> None:
        self.steps[step] = StepRecord(key, dict(outputs or {}), dict(info or {}))
        self.save()

    def forget(self, step: str) -> None:
        if self.steps.pop(step, None) is not None:
            self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "steps": {name: {"key": r.key, "outputs": r.outputs, "info": r.info}
                                            for name, r in sorted(self.steps.items())}}
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)
