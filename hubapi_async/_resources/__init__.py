"""Endpoint families: thin classes that build paths and params and choose Structs.

Each family is one module with one :class:`~._base.Resource` subclass; the client
exposes it as a namespace (``hub.models``, ``hub.collections``...).
"""

from ._collections import Collections
from ._datasets import Datasets
from ._families import Models, RepoFamily, Spaces
from ._organizations import Organizations
from ._papers import Papers
from ._repos import Repos
from ._resource_groups import ResourceGroups
from ._users import Users

__all__ = [
    "Collections",
    "Datasets",
    "Models",
    "Organizations",
    "Papers",
    "RepoFamily",
    "Repos",
    "ResourceGroups",
    "Spaces",
    "Users",
]
