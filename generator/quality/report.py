"""What the quality gates found, page by page, and the counts they print."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    page: str  # relative to the site folder: 'fr/services/msp-redon/index.html'
    line: int
    gate: str  # 'html', 'axe', 'links', 'privacy'
    message: str

    def format(self) -> str:
        return f"{self.page}:{self.line}: {self.gate}: {self.message}"


@dataclass
class QualityReport:
    pages: Counter[str] = field(default_factory=Counter)  # pages checked, by language
    findings: list[Finding] = field(default_factory=list)
    gates: list[str] = field(default_factory=list)  # the gates that ran

    def count(self, gate: str) -> int:
        return sum(1 for f in self.findings if f.gate == gate)

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        languages = ", ".join(f"{code or 'racine'} {n}" for code, n in sorted(self.pages.items()))
        counts = ", ".join(f"{gate} {self.count(gate)}" for gate in self.gates)
        return f"pages vérifiées : {languages} ({sum(self.pages.values())}) ; problèmes : {counts}"
