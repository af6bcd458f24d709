"""Parts of the model, dataset and Space info Structs (files, runtimes, mappings...)."""

from __future__ import annotations

from typing import Any

import msgspec

from ._base import HubStruct

__all__ = [
    "AuthorData",
    "BaseModelRef",
    "BaseModels",
    "BlobLfsInfo",
    "InferenceProviderMapping",
    "InferenceProviderMappingEntry",
    "OriginSpace",
    "RepoSibling",
    "ResourceGroupRef",
    "SafeTensorsInfo",
    "SecurityFileIssue",
    "SecurityRepoStatus",
    "SpaceDomain",
    "SpaceHardware",
    "SpaceReplicas",
    "SpaceRuntime",
    "SpaceVolume",
    "TransformersInfo",
]


class BlobLfsInfo(HubStruct, kw_only=True, frozen=True):
    """Git LFS details of a repository file.

    Shape: the official client's ``BlobLfsInfo`` (sent inside ``siblings`` when
    file metadata is requested); no recording carries it yet.
    """

    #: Size of the file content, in bytes.
    size: int | None = None
    #: SHA-256 of the file content (the LFS object id).
    sha256: str | None = None
    #: Size of the LFS pointer file stored in git, in bytes.
    pointer_size: int | None = msgspec.field(default=None, name="pointerSize")


class RepoSibling(HubStruct, kw_only=True, frozen=True):
    """One file of a repository, as listed in ``siblings``.

    Shape: recordings ``models/model_info__*`` (``rfilename`` only); ``size``,
    ``blobId`` and ``lfs`` from the official client's ``RepoSibling`` (present
    when file metadata is requested).
    """

    #: Path of the file, relative to the repository root.
    rfilename: str
    #: Size of the file, in bytes.
    size: int | None = None
    #: Git blob id of the file.
    blob_id: str | None = msgspec.field(default=None, name="blobId")
    #: LFS details, for files stored with Git LFS.
    lfs: BlobLfsInfo | None = None


class SafeTensorsInfo(HubStruct, kw_only=True, frozen=True):
    """Parameter counts of a model's safetensors weights.

    Shape: recordings ``models/model_info__*`` (``{"parameters": {"F32": n}, "total": n}``).
    """

    #: Parameter count per dtype; the keys (``"F32"``, ``"BF16"``...) are data.
    parameters: dict[str, int] | None = None
    #: Total parameter count over all dtypes.
    total: int | None = None


class SecurityFileIssue(HubStruct, kw_only=True, frozen=True):
    """One file the Hub's scanners flagged. Shape: see :class:`SecurityRepoStatus`."""

    #: Path of the file, relative to the repository root.
    path: str
    #: ``"unsafe"`` or ``"caution"`` (server-controlled).
    level: str | None = None


class SecurityRepoStatus(HubStruct, kw_only=True, frozen=True):
    """Summary of the Hub's security scans of a repository (``?securityStatus=true``).

    Shape: ``{"scansDone": true, "filesWithIssues": [{"path", "level"}]}`` as third-party
    captures of the Hub's answer show; the official client keeps it as a plain dict
    (``security_repo_status``). No recording here yet.
    """

    #: Whether every file of the revision has been scanned.
    scans_done: bool | None = msgspec.field(default=None, name="scansDone")
    #: The files the scanners flagged (empty when none was).
    files_with_issues: list[SecurityFileIssue] | None = msgspec.field(
        default=None, name="filesWithIssues"
    )


class TransformersInfo(HubStruct, kw_only=True, frozen=True):
    """How the ``transformers`` library loads a model.

    Shape: recordings ``models/model_info__*`` and the official client's
    ``TransformersInfo``.
    """

    #: Auto class to load the model with, e.g. ``"AutoModelForCausalLM"``.
    auto_model: str | None = None
    #: Custom class, for models that ship their own code.
    custom_class: str | None = None
    #: Pipeline task the auto class serves, e.g. ``"text-generation"``.
    pipeline_tag: str | None = None
    #: Preprocessing class, e.g. ``"AutoTokenizer"``.
    processor: str | None = None


class InferenceProviderMapping(HubStruct, kw_only=True, frozen=True):
    """How one Inference Provider serves a model: a value of the info form.

    On ``GET /api/models/{id}?expand=inferenceProviderMapping`` the mapping is
    an object keyed by provider name; each value has this shape.

    Shape: recordings ``models/model_info__expand_inferenceProviderMapping__*``;
    ``adapter``, ``adapterWeightsPath`` and ``type`` from the official client's
    ``InferenceProviderMapping``.
    """

    #: ``"live"``, ``"staging"``, ``"error"``... (server-controlled).
    status: str | None = None
    #: The model's id on the provider's side.
    provider_id: str | None = msgspec.field(default=None, name="providerId")
    #: Task the provider serves the model for, e.g. ``"conversational"``.
    task: str | None = None
    #: Adapter kind, for LoRA-style adapters served on a base model.
    adapter: str | None = None
    #: Path of the adapter weights in the repository.
    adapter_weights_path: str | None = msgspec.field(default=None, name="adapterWeightsPath")
    #: ``"single-model"`` or ``"tag-filter"`` (server-controlled).
    type: str | None = None


class InferenceProviderMappingEntry(InferenceProviderMapping, kw_only=True, frozen=True):
    """How one Inference Provider serves a model: an item of the listing form.

    Listings (``GET /api/models?expand=inferenceProviderMapping``) send a list
    whose items carry the provider name themselves.

    Shape: the official client's ``InferenceProviderMapping`` (which reads both forms).
    """

    #: Provider name, e.g. ``"together"``.
    provider: str


class BaseModelRef(HubStruct, kw_only=True, frozen=True):
    """A model another model derives from. Shape: see :class:`BaseModels`."""

    #: Repository id of the base model.
    id: str
    #: The Hub's internal object id.
    object_id: str | None = msgspec.field(default=None, name="_id")


class BaseModels(HubStruct, kw_only=True, frozen=True):
    """The models a model derives from (``expand=baseModels``).

    Shape: ``{"relation": "finetune", "models": [{"id": ...}]}`` as seen in
    third-party captures of the Hub's answer; the official client lists it as
    ``baseModels``. No recording here yet.
    """

    #: ``"finetune"``, ``"quantized"``, ``"adapter"``, ``"merge"``... (server-controlled).
    relation: str | None = None
    #: The base models.
    models: list[BaseModelRef] | None = None


class ResourceGroupRef(HubStruct, kw_only=True, frozen=True):
    """The resource group a repository belongs to (``expand=resourceGroup``).

    Shape: ``{"id", "name", "numUsers"}`` as seen in third-party captures; the
    official client keeps it as a plain dict. No recording here yet.
    """

    #: Resource group id.
    id: str
    #: Resource group name.
    name: str | None = None
    #: Number of users in the group.
    num_users: int | None = msgspec.field(default=None, name="numUsers")


class AuthorData(HubStruct, kw_only=True, frozen=True):
    """Public overview of a user or organization, as embedded in Space objects.

    Shape: recording ``spaces/semantic_search__hf-mcp-server_fixture``
    (``authorData``, ``originSpace.author``) and the ``UserOverview`` of
    ``openapi/stainless_derived_schema_notes.json``.
    """

    #: User or organization name.
    name: str
    #: The Hub's internal object id.
    object_id: str | None = msgspec.field(default=None, name="_id")
    #: Display name.
    fullname: str | None = None
    #: ``"user"`` or ``"org"`` (server-controlled).
    type: str | None = None
    #: Avatar URL (absolute, or a path on the Hub).
    avatar_url: str | None = msgspec.field(default=None, name="avatarUrl")
    #: Whether the user has a PRO subscription.
    is_pro: bool | None = msgspec.field(default=None, name="isPro")
    #: Whether the account belongs to Hugging Face staff.
    is_hf: bool | None = msgspec.field(default=None, name="isHf")
    #: Whether the account is a Hub administrator.
    is_hf_admin: bool | None = msgspec.field(default=None, name="isHfAdmin")
    #: Whether the account is a Hub moderator.
    is_mod: bool | None = msgspec.field(default=None, name="isMod")
    #: Whether the organization has an Enterprise subscription.
    is_enterprise: bool | None = msgspec.field(default=None, name="isEnterprise")
    #: Number of followers.
    follower_count: int | None = msgspec.field(default=None, name="followerCount")


class OriginSpace(HubStruct, kw_only=True, frozen=True):
    """The Space a Space was duplicated from.

    Shape: recording ``spaces/semantic_search__hf-mcp-server_fixture``.
    """

    #: Repository id of the original Space.
    name: str | None = None
    #: Owner of the original Space.
    author: AuthorData | None = None


class SpaceHardware(HubStruct, kw_only=True, frozen=True):
    """Hardware of a Space. Shape: ``runtime.hardware`` in the Space recordings."""

    #: Hardware running now, e.g. ``"cpu-basic"``; ``None`` while building or paused.
    current: str | None = None
    #: Hardware asked for.
    requested: str | None = None


class SpaceReplicas(HubStruct, kw_only=True, frozen=True):
    """Replica counts of a Space. Shape: ``runtime.replicas`` in the Space recordings."""

    #: Replicas running now.
    current: int | None = None
    #: Replicas asked for: a number, or ``"auto"``.
    requested: int | str | None = None


class SpaceDomain(HubStruct, kw_only=True, frozen=True):
    """A domain serving a Space. Shape: ``runtime.domains`` in the Space recordings."""

    #: Host name, e.g. ``"user-space.hf.space"``.
    domain: str
    #: ``"READY"``, ``"PENDING"``... (server-controlled).
    stage: str | None = None


class SpaceVolume(HubStruct, kw_only=True, frozen=True):
    """A volume mounted in a Space. Shape: the official client's ``Volume``."""

    #: ``"bucket"``, ``"model"``, ``"dataset"`` or ``"space"`` (server-controlled).
    type: str | None = None
    #: Source id, e.g. ``"user/my-bucket"``.
    source: str | None = None
    #: Mount path inside the container.
    mount_path: str | None = msgspec.field(default=None, name="mountPath")
    #: Git revision, for repository volumes.
    revision: str | None = None
    #: Whether the volume is mounted read-only.
    read_only: bool | None = msgspec.field(default=None, name="readOnly")
    #: Sub-folder of the source that is mounted.
    path: str | None = None


class SpaceRuntime(HubStruct, kw_only=True, frozen=True):
    """Runtime state of a Space, as embedded in Space info and listings.

    Shape: ``runtime`` of recording ``spaces/semantic_search__hf-mcp-server_fixture``
    and the bodies of ``spaces/space_runtime__*``; ``errorMessage``,
    ``hotReloading`` and ``volumes`` from the official client's ``SpaceRuntime``.
    """

    #: ``"RUNNING"``, ``"BUILDING"``, ``"PAUSED"``, ``"RUNTIME_ERROR"``... (server-controlled).
    stage: str | None = None
    #: Current and requested hardware.
    hardware: SpaceHardware | None = None
    #: Persistent storage tier (``"small"``, ``"medium"``, ``"large"``), if any.
    storage: str | None = None
    #: Seconds of inactivity before the Space sleeps.
    gc_timeout: int | None = msgspec.field(default=None, name="gcTimeout")
    #: Current and requested replica counts.
    replicas: SpaceReplicas | None = None
    #: Whether dev mode is on.
    dev_mode: bool | None = msgspec.field(default=None, name="devMode")
    #: Domains serving the Space.
    domains: list[SpaceDomain] | None = None
    #: Commit the running build comes from.
    sha: str | None = None
    #: Why the Space failed, when it did.
    error_message: str | None = msgspec.field(default=None, name="errorMessage")
    #: State of a hot reload in progress (shape left to the server).
    hot_reloading: dict[str, Any] | None = msgspec.field(default=None, name="hotReloading")
    #: Volumes mounted in the Space.
    volumes: list[SpaceVolume] | None = None
