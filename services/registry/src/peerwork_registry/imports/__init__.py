"""Structures, peer workers and employments brought in from a spreadsheet."""
