"""Shared pytest fixtures. Kept small on purpose: tests build what they need with
``tests.factories``; nothing here builds a world for every test."""

from __future__ import annotations
