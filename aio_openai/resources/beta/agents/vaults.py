"""Vaults (beta): ``/vaults``, named sets of credentials an agent's environment may use
(``credentials``: MCP OAuth, static bearer tokens, environment variables). The API never
sends a credential's secret back."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._types import RequestOptions
from ....types.beta.agents.vault import Vault
from ....types.beta.agents.vault_create_params import VaultCreateParams
from ....types.beta.agents.vault_deleted import VaultDeleted
from ....types.beta.agents.vault_list_params import VaultListParams
from ....types.beta.agents.vault_update_params import VaultUpdateParams
from ....types.beta.agents.vaults.credential import Credential
from ....types.beta.agents.vaults.credential_auth_rotate_param import CredentialAuthRotateParam
from ....types.beta.agents.vaults.credential_create_params import CredentialCreateParams
from ....types.beta.agents.vaults.credential_deleted import CredentialDeleted
from ....types.beta.agents.vaults.credential_list_params import CredentialListParams
from ._base import AgentsResource

__all__ = ["Credentials", "Vaults"]


class _CreateArgs(VaultCreateParams, RequestOptions, total=False): ...


class _UpdateArgs(VaultUpdateParams, RequestOptions, total=False): ...


class _ListArgs(VaultListParams, RequestOptions, total=False): ...


class _CreateCredentialArgs(CredentialCreateParams, RequestOptions, total=False): ...


class _UpdateCredentialArgs(RequestOptions, total=False):
    # CredentialUpdateParams without the path's vault_id
    auth: CredentialAuthRotateParam
    metadata: dict[str, str]


class _ListCredentialsArgs(CredentialListParams, RequestOptions, total=False): ...


class Vaults(AgentsResource):
    """``client.beta.agents.vaults``: create, retrieve, update, list, delete, and
    ``credentials``."""

    __slots__ = ()

    @property
    def credentials(self) -> Credentials:
        """The credentials of a vault: create, retrieve, update, list, delete."""
        return Credentials(self._client, raw=self._raw)

    @endpoint("POST", "/vaults", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> Vault:
        """Create a vault (``name``, ``metadata``); returns it."""
        return await self._call(Vaults.create, Vault, params)

    @endpoint("GET", "/vaults/{vault_id}")
    async def retrieve(self, vault_id: str, **options: Unpack[RequestOptions]) -> Vault:
        """Retrieve a vault. Raises NotFoundError for an unknown one."""
        return await self._call(Vaults.retrieve, Vault, options, vault_id=vault_id)

    @endpoint("POST", "/vaults/{vault_id}", _UpdateArgs)
    async def update(self, vault_id: str, **params: Unpack[_UpdateArgs]) -> Vault:
        """Change a vault's ``name`` or ``metadata`` and return it. Raises NotFoundError
        for an unknown one."""
        return await self._call(Vaults.update, Vault, params, vault_id=vault_id)

    @endpoint("GET", "/vaults", _ListArgs)
    def list(self, **params: Unpack[_ListArgs]) -> AsyncPaginator[Vault, AsyncCursorPage[Vault]]:
        """The vaults, newest first (``order="asc"`` for oldest first), filtered by
        ``metadata`` and ``status`` if given: ``await`` it for the first page, ``async for``
        every vault."""
        return self._list(Vaults.list, Vault, params)

    @endpoint("DELETE", "/vaults/{vault_id}")
    async def delete(self, vault_id: str, **options: Unpack[RequestOptions]) -> VaultDeleted:
        """Delete a vault and its credentials. Raises NotFoundError for an unknown one."""
        return await self._call(Vaults.delete, VaultDeleted, options, vault_id=vault_id)


class Credentials(AgentsResource):
    """``client.beta.agents.vaults.credentials``: create, retrieve, update, list, delete."""

    __slots__ = ()

    @endpoint("POST", "/vaults/{vault_id}/credentials", _CreateCredentialArgs)
    async def create(self, vault_id: str, **params: Unpack[_CreateCredentialArgs]) -> Credential:
        """Store a credential called ``name`` in a vault: ``auth`` holds its secret (an MCP
        OAuth token, a static bearer token, or an environment variable's value), which is
        never sent back. Returns the credential; NotFoundError for an unknown vault."""
        return await self._call(Credentials.create, Credential, params, vault_id=vault_id)

    @endpoint("GET", "/vaults/{vault_id}/credentials/{credential_id}")
    async def retrieve(
        self, credential_id: str, *, vault_id: str, **options: Unpack[RequestOptions]
    ) -> Credential:
        """Retrieve a credential (without its secret). Raises NotFoundError for an unknown
        vault or credential."""
        return await self._call(
            Credentials.retrieve,
            Credential,
            options,
            vault_id=vault_id,
            credential_id=credential_id,
        )

    @endpoint("POST", "/vaults/{vault_id}/credentials/{credential_id}", _UpdateCredentialArgs)
    async def update(
        self, credential_id: str, *, vault_id: str, **params: Unpack[_UpdateCredentialArgs]
    ) -> Credential:
        """Rotate a credential's secret (``auth``) or change its ``metadata``; returns it.
        Raises NotFoundError for an unknown vault or credential."""
        return await self._call(
            Credentials.update,
            Credential,
            params,
            vault_id=vault_id,
            credential_id=credential_id,
        )

    @endpoint("GET", "/vaults/{vault_id}/credentials", _ListCredentialsArgs)
    def list(
        self, vault_id: str, **params: Unpack[_ListCredentialsArgs]
    ) -> AsyncPaginator[Credential, AsyncCursorPage[Credential]]:
        """The credentials of a vault, newest first (``order="asc"`` for oldest first),
        filtered by ``metadata`` and ``status`` if given: ``await`` it for the first page,
        ``async for`` every one."""
        return self._list(Credentials.list, Credential, params, vault_id=vault_id)

    @endpoint("DELETE", "/vaults/{vault_id}/credentials/{credential_id}")
    async def delete(
        self, credential_id: str, *, vault_id: str, **options: Unpack[RequestOptions]
    ) -> CredentialDeleted:
        """Delete a credential. Raises NotFoundError for an unknown vault or credential."""
        return await self._call(
            Credentials.delete,
            CredentialDeleted,
            options,
            vault_id=vault_id,
            credential_id=credential_id,
        )
