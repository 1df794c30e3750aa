"""Choice widgets whose option labels follow the language switch.

Streamlit identifies a keyed radio or selectbox by its key alone, so when only
the labels of its options change (Chinese -> English) the browser keeps showing
the old labels, or no selection at all. Such widgets therefore get one key per
language (``name@lang``), while the chosen value lives under the plain `name`
in the session state, where pages and callbacks read and set it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st


def widget_key(name: str, lang: str) -> str:
    """The session-state key of the widget showing `name` in `lang`."""
    return f"{name}@{lang}"


def choice(
    widget: Callable[..., Any],
    label: str,
    options: Sequence[Any],
    *,
    name: str,
    lang: str,
    format_func: Callable[[Any], str],
    on_change: Callable[[], None] | None = None,
    **kwargs: Any,
) -> Any:
    """Draw ``widget`` (st.radio, st.selectbox...) for the value kept under `name`."""
    options = list(options)
    value = st.session_state.get(name)
    if value not in options:
        value = options[0]
    key = widget_key(name, lang)
    st.session_state[name] = value
    st.session_state[key] = value

    def changed() -> None:
        st.session_state[name] = st.session_state[key]
        if on_change is not None:
            on_change()

    return widget(label, options, key=key, format_func=format_func, on_change=changed, **kwargs)


def multi_choice(
    label: str,
    options: Sequence[Any],
    *,
    name: str,
    lang: str,
    format_func: Callable[[Any], str],
    container: Any = st,
    **kwargs: Any,
) -> list[Any]:
    """A multiselect for the values kept under `name` (all options at first), labels in `lang`."""
    options = list(options)
    kept = st.session_state.get(name)
    value = [v for v in kept if v in options] if isinstance(kept, list | tuple) else options
    key = widget_key(name, lang)
    st.session_state[name] = value
    st.session_state[key] = value

    def changed() -> None:
        st.session_state[name] = list(st.session_state[key])

    return container.multiselect(
        label, options, key=key, format_func=format_func, on_change=changed, **kwargs
    )
