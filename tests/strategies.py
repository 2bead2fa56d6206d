"""Hypothesis strategies and small models shared by the rule tests."""

from hypothesis import strategies as st


def text_without_nul(max_size: int) -> st.SearchStrategy[str]:
    """Any Unicode text PostgreSQL can store: everything but NUL."""
    return st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=max_size)


def json_type(value: object) -> str:
    """jsonb_typeof() of a Python value as psycopg sends it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
