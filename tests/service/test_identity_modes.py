"""``learner_identity``: never many users stored as one learner."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from jupyter_server.auth.identity import IdentityProvider, LegacyIdentityProvider

from jupyter_adaptive.app import AdaptiveApp, IdentityGuessError
from jupyter_adaptive.roles import NamedRoles, OwnerRoles


class CustomProvider(IdentityProvider):
    """An identity provider of many users (like JupyterHub's)."""


def roles_for(provider: IdentityProvider, **settings: object) -> object:
    app = AdaptiveApp(**settings)
    app.serverapp = SimpleNamespace(identity_provider=provider)  # type: ignore[assignment]
    return app.make_roles()


def test_auto_is_the_owner_behind_jupyters_own_token() -> None:
    assert isinstance(roles_for(IdentityProvider()), OwnerRoles)


def test_auto_is_the_user_behind_any_other_provider() -> None:
    assert isinstance(roles_for(CustomProvider()), NamedRoles)


def test_auto_refuses_to_guess_behind_a_custom_login_handler() -> None:
    with pytest.raises(IdentityGuessError, match="learner_identity to 'owner'"):
        roles_for(LegacyIdentityProvider())


def test_an_explicit_choice_is_taken_as_it_is() -> None:
    assert isinstance(roles_for(LegacyIdentityProvider(), learner_identity="user"), NamedRoles)
    assert isinstance(roles_for(CustomProvider(), learner_identity="owner"), OwnerRoles)
