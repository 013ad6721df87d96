"""Pages and columns for the producers that do not lay pages out themselves (reportlab, cairo):
items of known height poured into columns, right column first, the last page's columns
balanced or not."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    height: float
    gap_after: float = 0.0  # space below the item unless it ends a column


def pour(items: list[Item], first_height: float, height: float, columns: int,
         balanced: bool) -> list[list[list[int]]]:
    """Item indexes per page per column (column 0 is the first read). The first page's
    columns are ``first_height`` tall (a title above them), the others ``height``."""
    pages: list[list[list[int]]] = []
    i = 0
    while i < len(items):
        limit = first_height if not pages else height
        page, i = _fill(items, i, limit, columns)
        pages.append(page)
    if balanced and columns > 1 and pages:
        last = [j for column in pages[-1] for j in column]
        total = sum(items[j].height + items[j].gap_after for j in last)
        pages[-1] = _balance(items, last, total / columns, columns)
    return pages


def _fill(items: list[Item], i: int, limit: float, columns: int) -> tuple[list[list[int]], int]:
    page: list[list[int]] = []
    for _ in range(columns):
        column: list[int] = []
        used = 0.0
        while i < len(items) and (not column or used + items[i].height <= limit):
            column.append(i)
            used += items[i].height + items[i].gap_after
            i += 1
        page.append(column)
        if i == len(items):
            break
    return page, i


def _balance(items: list[Item], indexes: list[int], target: float, columns: int) -> list[list[int]]:
    out: list[list[int]] = [[] for _ in range(columns)]
    column, used = 0, 0.0
    for j in indexes:
        if out[column] and used + items[j].height / 2 > target and column < columns - 1:
            column, used = column + 1, 0.0
        out[column].append(j)
        used += items[j].height + items[j].gap_after
    return out
