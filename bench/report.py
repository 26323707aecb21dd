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
              baseline: float | None, minimum: float | None) -> None:
        """A rate against its baseline's, and its lower limit if any (None: information)."""
        target = "" if minimum is None else f">= {minimum}x"
        if rate is None or baseline is None:
            verdict = "FAIL" if rate is None else "n/a"  # no rate: the stage never finished
            self.rows.append(Row(name, _rate(rate, unit), _baseline(baseline_name, baseline), "", target, verdict))
            return
        ratio = rate / baseline
        verdict = "" if minimum is None else "PASS" if ratio >= minimum else "FAIL"
        self.rows.append(Row(name, _rate(rate, unit), _baseline(baseline_name, baseline), f"{ratio:.2f}x",
                             target, verdict))

    def below(self, name: str, value: float | None, limit: float | None, unit: str = "ms",
              baseline: tuple[str, float] | None = None) -> None:
        """A duration or a size (None: not measured; inf: never happened), its upper limit if
        any, and for information its ratio to a ``baseline`` (its name, its value)."""
        figure = "not measured" if value is None else _amount(value, unit)
        compared, ratio = "", ""
        if baseline is not None:
            compared = f"{baseline[0]} {_amount(baseline[1], unit)}"
            ratio = "" if value is None else f"{value / baseline[1]:.2f}x"
        verdict = "" if limit is None else "PASS" if value is not None and value < limit else "FAIL"
        target = "" if limit is None else f"< {limit:g} {unit}"
        self.rows.append(Row(name, figure, compared, ratio, target, verdict))

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


def _amount(value: float, unit: str) -> str:
    return "never (stalled)" if math.isinf(value) else f"{value:,.1f} {unit}"


def _baseline(name: str, rate: float | None) -> str:
    return f"{name} -" if rate is None else f"{name} {rate:,.0f}/s"
