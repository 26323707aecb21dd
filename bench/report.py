"""The figures, their baselines and targets, printed as one table."""

import math
from dataclasses import dataclass, field


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Row:
    name: str
    figure: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def info(self, name: str, figure: str) -> None:
        self.rows.append(Row(name, figure))

    def ratio(self, name: str, rate: float | None, unit: str, baseline_name: str,
              baseline: float | None, minimum: float) -> None:
        if rate is None or baseline is None:
            verdict = "FAIL" if rate is None else "n/a"  # no rate: the stage never finished
            self.rows.append(Row(name, _rate(rate, unit), _baseline(baseline_name, baseline),
                                 "", f">= {minimum}x", verdict))
            return
        ratio = rate / baseline
        self.rows.append(Row(
            name, _rate(rate, unit), _baseline(baseline_name, baseline), f"{ratio:.2f}x",
            f">= {minimum}x", "PASS" if ratio >= minimum else "FAIL",
        ))

    def below(self, name: str, value_ms: float | None, limit_ms: float | None) -> None:
        """A duration (None: not measured; inf: never happened) and its upper limit if any."""
        figure = "not measured" if value_ms is None else _duration(value_ms)
        if limit_ms is None:
            self.rows.append(Row(name, figure))
            return
        verdict = "PASS" if value_ms is not None and value_ms < limit_ms else "FAIL"
        self.rows.append(Row(name, figure, target=f"< {limit_ms:g} ms", verdict=verdict))

    def render(self) -> str:
        header = Row("stage", "measured", "baseline", "ratio", "target", "verdict")
        table = [header, *self.rows]
        widths = [max(len(getattr(row, column)) for row in table) for column in _COLUMNS]
        lines = [_line(row, widths) for row in table]
        lines.insert(1, "-+-".join("-" * width for width in widths))
        return "\n".join([*lines, *(f"note: {note}" for note in self.notes)])

    @property
    def failed(self) -> bool:
        return any(row.verdict == "FAIL" for row in self.rows)


_COLUMNS = ("name", "figure", "baseline", "ratio", "target", "verdict")


def _line(row: Row, widths: list[int]) -> str:
    return " | ".join(getattr(row, column).ljust(width) for column, width in zip(_COLUMNS, widths))


def _rate(rate: float | None, unit: str) -> str:
    return "did not finish" if rate is None else f"{rate:,.0f} {unit}"


def _duration(ms: float) -> str:
    return "never (stalled)" if math.isinf(ms) else f"{ms:,.1f} ms"


def _baseline(name: str, rate: float | None) -> str:
    return f"{name} -" if rate is None else f"{name} {rate:,.0f}/s"
