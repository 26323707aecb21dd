"""The accompaniment service: support milestones and trainings (issue 3; package skeleton for now)."""
