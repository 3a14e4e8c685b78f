"""OpenID Connect providers (Google, LinkedIn) for OAuth sign-in."""

from interviewd.adapters.oauth.oidc import OidcProvider, ProviderError, TokenRejected

__all__ = ["OidcProvider", "ProviderError", "TokenRejected"]
