"""Who is using the app: the OS user on one's own machine, a signed-in analyst on a shared server.

Sign-in is off unless the server's environment switches it on (docs/workspace.md, "Several users
on one server"):

- ``POLICYRANK_AUTH=oidc``: Streamlit's ``st.login`` with the OpenID Connect provider of the
  ``[auth]`` section of ``.streamlit/secrets.toml`` (``POLICYRANK_AUTH_PROVIDER=NAME`` picks an
  ``[auth.NAME]`` provider); the identity is the token's e-mail, else its name, else its subject.
- ``POLICYRANK_AUTH=password``: a name and password checked against the password file
  (``POLICYRANK_PASSWORDS``, written by ``policyrank user add NAME``), for an intranet without an
  identity provider. The sign-in lasts as long as the browser tab's session.

:func:`gate` runs before any page (``ui/app.py``, and again in :func:`ui.page.start` so that a
page script run on its own is no way round it); :func:`who` is the name every change is recorded
under in the workspace history.
"""

from __future__ import annotations

import os
from typing import Literal, cast

import streamlit as st

from engine import passwords
from engine.model import LANGS
from engine.store.workspace import current_user
from ui import icons, state
from ui.i18n import LANGUAGE_NAMES, t

Mode = Literal["off", "password", "oidc"]
MODES: tuple[Mode, ...] = ("off", "password", "oidc")
MODE_VARIABLE = "POLICYRANK_AUTH"
PROVIDER_VARIABLE = "POLICYRANK_AUTH_PROVIDER"

W_LANG = "w:auth:lang"
W_NAME = "w:auth:name"
W_PASSWORD = "w:auth:password"
W_SIGN_IN = "w:auth:sign_in"
W_SIGN_OUT = "w:auth:sign_out"


class NotSignedIn(RuntimeError):
    """A change was about to be recorded with nobody signed in (the gate was skipped)."""


def mode() -> Mode:
    """How this server signs analysts in (``POLICYRANK_AUTH``; unset or empty: off)."""
    value = os.environ.get(MODE_VARIABLE, "").strip().lower() or "off"
    if value not in MODES:
        raise ValueError(f"{MODE_VARIABLE}={value!r}: expected one of {', '.join(MODES)}")
    return cast(Mode, value)


def _oidc_identity() -> str | None:
    # st.user has no is_logged_in outside a server's session (AppTest): nobody is signed in there
    if not st.user.get("is_logged_in"):
        return None
    for claim in ("email", "preferred_username", "name", "sub"):
        value = st.user.get(claim)
        if value:
            return str(value)
    return None


def signed_in() -> str | None:
    """The signed-in name, None when nobody is (always None while sign-in is off)."""
    current = mode()
    if current == "password":
        return st.session_state.get(state.SIGNED_IN)
    if current == "oidc":
        return _oidc_identity()
    return None


def who() -> str:
    """The name this session's changes are recorded under."""
    if mode() == "off":
        return current_user()
    name = signed_in()
    if name is None:
        raise NotSignedIn("sign-in is on and nobody is signed in")
    return name


def _check_password() -> None:
    name = st.session_state.get(W_NAME, "").strip()
    password = st.session_state.get(W_PASSWORD, "")
    st.session_state[W_PASSWORD] = ""  # never kept past the check
    if name and password and passwords.check(passwords.default_path(), name, password):
        st.session_state[state.SIGNED_IN] = name
        st.session_state[state.SIGN_IN_FAILED] = False
    else:
        st.session_state[state.SIGN_IN_FAILED] = True


def _password_form() -> None:
    with st.form("auth:form"):
        st.text_input(t("auth.name"), key=W_NAME, autocomplete="username")
        st.text_input(t("auth.password"), key=W_PASSWORD, type="password", autocomplete="current-password")
        st.form_submit_button(t("auth.sign_in"), on_click=_check_password, type="primary")
    if st.session_state.get(state.SIGN_IN_FAILED):
        st.error(t("auth.refused"))


def _oidc_button() -> None:
    try:
        configured = "auth" in st.secrets
    except Exception:  # no secrets.toml at all: Streamlit raises its own not-found error
        configured = False
    if not configured:
        st.error(t("auth.oidc_missing"))
        return
    if st.button(t("auth.sign_in_oidc"), key=W_SIGN_IN, type="primary"):
        provider = os.environ.get(PROVIDER_VARIABLE) or None
        st.login(provider)


def gate() -> None:
    """Stop the run here with a sign-in form unless sign-in is off or someone is signed in."""
    try:
        current = mode()
    except ValueError as exc:  # a misconfigured server lets nobody in rather than everybody
        st.error(t("auth.misconfigured", message=str(exc)))
        st.stop()
    if current == "off" or signed_in() is not None:
        return
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.radio(
            t("sidebar.language"),
            LANGS,
            format_func=LANGUAGE_NAMES.__getitem__,
            horizontal=True,
            **state.bind(state.LANG, W_LANG, options=LANGS),
        )
        st.title(t("auth.title"))
        st.caption(t("auth.why"))
        if current == "password":
            _password_form()
        else:
            _oidc_button()
    st.stop()


def _sign_out() -> None:
    st.session_state[state.SIGNED_IN] = None


def account() -> None:
    """The signed-in name and a sign-out button in the sidebar (nothing while sign-in is off)."""
    current = mode()
    name = signed_in()
    if current == "off" or name is None:
        return
    with st.sidebar:
        st.divider()
        st.caption(t("auth.signed_in_as", name=name))
        if current == "password":
            st.button(t("auth.sign_out"), key=W_SIGN_OUT, on_click=_sign_out, icon=icons.SIGN_OUT)
        elif st.button(t("auth.sign_out"), key=W_SIGN_OUT, icon=icons.SIGN_OUT):
            st.logout()
